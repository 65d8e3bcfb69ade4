package kz.qaqpa.directives.appeal;

import static kz.qaqpa.directives.store.Rows.instant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.store.Database;

/**
 * The deadlines of undecided appeals against the working-day calendar as it is now. A deadline
 * that reaches a year without data is pending (null) rather than guessed or refused; when the
 * calendar's data changes — a decree published late, a moved Kurban Ait, the next year added —
 * {@link #recompute()} brings every undecided appeal's deadline up to it and records each change.
 */
public final class AppealDeadlines {

    /** One change new calendar data made to a stored deadline; null deadlines are pending. */
    public record Change(String appeal, Instant changedAt, Instant previous, Instant deadline, String calendar) {
    }

    private final Database database;
    private final WorkingCalendar calendar;
    private final Clock clock;

    public AppealDeadlines(Database database, WorkingCalendar calendar, Clock clock) {
        this.database = database;
        this.calendar = calendar;
        this.clock = clock;
    }

    /** The end of the monitoring of an appeal registered at {@code registeredAt}, or empty while the calendar lacks the year. */
    public static Optional<Instant> monitoringDeadline(WorkingCalendar calendar, Instant registeredAt) {
        try {
            return Optional.of(calendar.deadline(registeredAt, AppealRegister.MONITORING_WORKING_DAYS).deadline().toInstant());
        } catch (WorkingCalendar.UnknownYearException e) {
            return Optional.empty();
        }
    }

    /**
     * Recomputes the deadline of every undecided appeal with the calendar as it is now, in one
     * transaction; each deadline that changes is updated and the change recorded.
     *
     * @return the changes made
     */
    public List<Change> recompute() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String years = calendar.years().toString();
        return database.inTransaction(connection -> {
            List<Change> changes = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, number, registered_at, deadline FROM appeal WHERE status IN "
                            + AppealStatus.sqlUndecided() + " ORDER BY id FOR UPDATE");
                 PreparedStatement update = connection.prepareStatement("UPDATE appeal SET deadline = ? WHERE id = ?");
                 PreparedStatement record = connection.prepareStatement("""
                         INSERT INTO appeal_deadline_change (appeal_id, changed_at, previous, deadline, calendar)
                         VALUES (?, ?, ?, ?, ?)""");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Instant previous = instant(rows, "deadline");
                    Instant deadline = monitoringDeadline(calendar, instant(rows, "registered_at")).orElse(null);
                    if (Objects.equals(previous, deadline)) {
                        continue;
                    }
                    update.setTimestamp(1, timestamp(deadline));
                    update.setLong(2, rows.getLong("id"));
                    update.executeUpdate();
                    record.setLong(1, rows.getLong("id"));
                    record.setTimestamp(2, Timestamp.from(now));
                    record.setTimestamp(3, timestamp(previous));
                    record.setTimestamp(4, timestamp(deadline));
                    record.setString(5, years);
                    record.executeUpdate();
                    changes.add(new Change(rows.getString("number"), now, previous, deadline, years));
                }
                return changes;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot recompute the appeals' deadlines: " + e.getMessage(), e);
            }
        });
    }

    /** Undecided appeals whose deadline waits for calendar data. */
    public long countPending() {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM appeal WHERE deadline IS NULL"
                     + " AND status IN " + AppealStatus.sqlUndecided());
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count pending deadlines: " + e.getMessage(), e);
        }
    }

    /** The changes made to one appeal's deadline, oldest first. */
    public List<Change> changes(Appeal appeal) {
        List<Change> changes = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT * FROM appeal_deadline_change WHERE appeal_id = ? ORDER BY id")) {
            select.setLong(1, appeal.id());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    changes.add(new Change(appeal.number(), instant(rows, "changed_at"), instant(rows, "previous"),
                            instant(rows, "deadline"), rows.getString("calendar")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the deadline changes of " + appeal.number() + ": " + e.getMessage(), e);
        }
        return changes;
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
