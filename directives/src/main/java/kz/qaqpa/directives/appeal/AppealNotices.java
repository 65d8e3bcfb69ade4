package kz.qaqpa.directives.appeal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.text.LegalDates;
import kz.qaqpa.directives.text.Texts;

/**
 * The e-mail notices of appeals, as an outbox: queued in the transaction of the change they tell
 * of — to the appellant, in the appellant's language, at registration, decision and restoration; to
 * the authority 3 working days before an undecided appeal's deadline — and sent by the gateway until
 * the mail server takes them. Notices carry no status token: the appellant keeps the link given at
 * registration.
 *
 * <p>The gateway's mail must not become an attacker's: a notice to an appellant goes out only once
 * the address is confirmed (the confirmation mail itself is fixed text with the appeal's number and
 * a link, at most {@link AppealRegister#CONFIRMATIONS_PER_ADDRESS} a day to one address), and no
 * notice carries text the appellant typed — the resource is named by the directive's own target.
 */
public final class AppealNotices {

    /** What a notice tells. */
    public enum Kind { CONFIRM, REGISTERED, DECIDED, RESTORED, REMINDER }

    /** The notices' texts, one file per language. */
    static final String BUNDLE = "kz.qaqpa.directives.appeal.notices";

    /** A notice waiting to be sent. */
    public record Notice(long id, String recipient, String subject, String body, int attempts) {
    }

    /** The reminder comes this many working days before the deadline. */
    public static final int REMINDER_WORKING_DAYS = 3;

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    private final Database database;
    private final WorkingCalendar calendar;
    private final Clock clock;

    public AppealNotices(Database database, WorkingCalendar calendar, Clock clock) {
        this.database = database;
        this.calendar = calendar;
        this.clock = clock;
    }

    /** Queues a notice to the appellant of appeal {@code appealId}, within the caller's transaction. */
    static void queue(Connection connection, long appealId, Kind kind, Instant now) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT a.number, a.status, a.language, a.email, a.deadline, a.target, a.reasons, d.number AS directive
                FROM appeal a LEFT JOIN directive d ON d.id = a.directive_id WHERE a.id = ?""")) {
            select.setLong(1, appealId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                String[] text = text(kind, row.getString("language"), row.getString("number"), row.getString("status"),
                        row.getString("target"), row.getString("directive"),
                        Optional.ofNullable(row.getObject("deadline", OffsetDateTime.class)).map(OffsetDateTime::toInstant)
                                .orElse(null), row.getString("reasons"), null);
                insert(connection, appealId, kind, row.getString("email"), text[0], text[1], now);
            }
        }
    }

    /**
     * Queues the mail that asks the appellant to confirm the address, within the registration's
     * transaction, unless {@link AppealRegister#CONFIRMATIONS_PER_ADDRESS} went to it in the last 24 hours.
     *
     * @return whether it was queued
     */
    static boolean queueConfirmation(Connection connection, long appealId, String email, String language, String number,
                                     String link, Instant now) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("""
                SELECT COUNT(*) FROM appeal_notice WHERE recipient = ? AND kind = 'CONFIRM' AND created_at > ?""")) {
            count.setString(1, email);
            count.setTimestamp(2, Timestamp.from(now.minus(Duration.ofDays(1))));
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                if (rows.getInt(1) >= AppealRegister.CONFIRMATIONS_PER_ADDRESS) {
                    return false;
                }
            }
        }
        String[] text = text(Kind.CONFIRM, language, number, null, null, null, now, null, link);
        insert(connection, appealId, Kind.CONFIRM, email, text[0], text[1], now);
        return true;
    }

    /**
     * Queues a reminder to the authority for every undecided appeal whose deadline is
     * {@value #REMINDER_WORKING_DAYS} working days away or closer, once per appeal.
     *
     * @return how many were queued
     */
    public int queueReminders(String authorityEmail) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        LocalDate today = now.atOffset(WorkingCalendar.ALMATY).toLocalDate();
        return database.inTransaction(connection -> {
            int queued = 0;
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT a.id, a.number, a.status, a.deadline, a.target, d.number AS directive
                    FROM appeal a LEFT JOIN directive d ON d.id = a.directive_id
                    WHERE a.status IN %s AND a.deadline IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM appeal_notice n WHERE n.appeal_id = a.id AND n.kind = 'REMINDER')"""
                    .formatted(AppealStatus.sqlUndecided()));
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Instant deadline = rows.getObject("deadline", OffsetDateTime.class).toInstant();
                    if (today.isBefore(reminderDay(deadline))) {
                        continue;
                    }
                    String[] text = text(Kind.REMINDER, "kk", rows.getString("number"), rows.getString("status"),
                            rows.getString("target"), rows.getString("directive"), deadline, null, null);
                    insert(connection, rows.getLong("id"), Kind.REMINDER, authorityEmail, text[0], text[1], now);
                    queued++;
                }
                return queued;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot queue reminders: " + e.getMessage(), e);
            }
        });
    }

    /** The working day {@value #REMINDER_WORKING_DAYS} working days before the deadline's day. */
    LocalDate reminderDay(Instant deadline) {
        LocalDate day = deadline.atOffset(WorkingCalendar.ALMATY).toLocalDate();
        int counted = 0;
        while (counted < REMINDER_WORKING_DAYS) {
            day = day.minusDays(1);
            if (calendar.isWorkingDay(day)) {
                counted++;
            }
        }
        return day;
    }

    /** Notices not sent yet whose next attempt is due; an appellant's only once the address is confirmed. */
    public List<Notice> due(int limit) {
        List<Notice> due = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT n.id, n.recipient, n.subject, n.body, n.attempts
                     FROM appeal_notice n JOIN appeal a ON a.id = n.appeal_id
                     WHERE n.sent_at IS NULL AND n.next_attempt_at <= ?
                       AND (n.kind IN ('CONFIRM', 'REMINDER') OR a.email_confirmed_at IS NOT NULL)
                     ORDER BY n.id LIMIT ?""")) {
            select.setTimestamp(1, Timestamp.from(clock.instant()));
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    due.add(new Notice(rows.getLong("id"), rows.getString("recipient"), rows.getString("subject"),
                            rows.getString("body"), rows.getInt("attempts")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the notices due: " + e.getMessage(), e);
        }
        return due;
    }

    public void sent(Notice notice) {
        update("UPDATE appeal_notice SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                clock.instant(), null, notice.id());
    }

    /** A failed attempt: the next one after {@code wait}. */
    public void failed(Notice notice, Duration wait, String error) {
        update("UPDATE appeal_notice SET next_attempt_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?",
                clock.instant().plus(wait), error == null ? "" : error.substring(0, Math.min(error.length(), 1000)),
                notice.id());
    }

    private void update(String sql, Instant at, String error, long id) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setTimestamp(1, Timestamp.from(at));
            if (error != null) {
                update.setString(2, error);
                update.setLong(3, id);
            } else {
                update.setLong(2, id);
            }
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the notice's outcome: " + e.getMessage(), e);
        }
    }

    private static void insert(Connection connection, long appealId, Kind kind, String recipient, String subject,
                               String body, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO appeal_notice (appeal_id, kind, recipient, subject, body, created_at, next_attempt_at, attempts)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0)""")) {
            insert.setLong(1, appealId);
            insert.setString(2, kind.name());
            insert.setString(3, recipient);
            insert.setString(4, subject);
            insert.setString(5, body);
            insert.setTimestamp(6, Timestamp.from(now));
            insert.setTimestamp(7, Timestamp.from(now));
            insert.executeUpdate();
        }
    }

    /**
     * Subject and body of a notice, in the language asked for (the authority's reminder: Kazakh and
     * Russian), from the bundle {@value #BUNDLE}. {@code resource} is the directive's own target and
     * {@code directive} its number, each null for an appeal no directive matched; {@code link} is the
     * confirmation's.
     */
    static String[] text(Kind kind, String language, String number, String status, String resource, String directive,
                         Instant deadline, String reasons, String link) {
        Texts texts = Texts.of(BUNDLE, language);
        // No text the appellant typed goes into a mail: without a directive's target matching the
        // resource, the appellant's resource is "the internet resource of your appeal".
        Map<String, String> values = new HashMap<>();
        values.put("number", number);
        values.put("resource", resource != null ? resource : kind == Kind.REMINDER ? "—" : texts.get("theResource"));
        values.put("directive", Objects.toString(directive, "—"));
        // A deadline waiting for calendar data of its year is said to be so.
        values.put("until", deadline == null ? texts.get("untilPending")
                : WHEN.format(deadline.atOffset(WorkingCalendar.ALMATY)) + " (UTC+5)");
        values.put("day", deadline == null ? "—" : DAY.format(deadline.atOffset(WorkingCalendar.ALMATY)));
        // The last day in the language's legal form: "2026 жылғы 14 желтоқсанға (дейін)", "(по) 14.12.2026".
        values.put("untilDate", deadline == null ? texts.get("untilPending")
                : "kk".equals(texts.language()) ? LegalDates.kazakhTo(deadline.atOffset(WorkingCalendar.ALMATY).toLocalDate())
                : LegalDates.russian(deadline.atOffset(WorkingCalendar.ALMATY).toLocalDate()));
        values.put("reasons", Objects.toString(reasons, ""));
        values.put("link", Objects.toString(link, ""));
        String prefix = kind.name().toLowerCase(Locale.ROOT);
        String body = kind == Kind.DECIDED
                ? (AppealStatus.REMOVAL_CONFIRMED.name().equals(status) ? "decided.confirmed" : "decided.refused")
                : kind == Kind.REGISTERED && directive == null ? "registered.unmatched"
                : prefix + ".body";
        return new String[] {texts.format(prefix + ".subject", values), texts.format(body, values)};
    }
}
