package kz.qaqpa.directives.appeal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kz.qaqpa.directives.store.Database;

/**
 * The monitoring of an appeal and its decision (seed 003 §5–7), as a state machine:
 *
 * <pre>
 * REGISTERED ─probe─▶ MONITORING ─decision─▶ REMOVAL_CONFIRMED ─RESTORE acknowledged─▶ RESTORED
 *      └──────────────────┴────────decision─▶ REFUSED
 * </pre>
 *
 * Probes are evidence, kept as taken; findings are the authority's per link; the decision takes
 * REMOVAL_CONFIRMED only when every link of the appeal has a finding that its material is removed,
 * and REFUSED only with reasons.
 */
public final class AppealMonitoring {

    /**
     * What a probe of one link saw. {@code statusCode} is null when no answer came or the probe was
     * refused (see {@code error}); {@code note} says what else it noticed, such as a body cut short.
     */
    public record Probe(String link, Instant probedAt, Integer statusCode, String finalUrl, String bodySha256,
                        long elapsedMillis, String error, String note) {
    }

    /** The authority's finding on one link. */
    public record Finding(String link, boolean removed, String note, Instant recordedAt) {
    }

    /** A step the appeal's state does not allow, or a decision its findings do not support. */
    public static final class RefusedStepException extends RuntimeException {
        public RefusedStepException(String message) {
            super(message, null, false, false);
        }
    }

    private static final Duration PROBE_EVERY = Duration.ofDays(1);

    private final Database database;
    private final AppealRegister register;
    private final Clock clock;

    public AppealMonitoring(Database database, AppealRegister register, Clock clock) {
        this.database = database;
        this.register = register;
        this.clock = clock;
    }

    /** Keeps a probe's result; the first one starts the monitoring (REGISTERED → MONITORING). */
    public void recordProbe(long appealId, Probe probe) {
        database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO appeal_probe (appeal_id, link, probed_at, status_code, final_url, body_sha256, elapsed_ms, error, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""");
                 PreparedStatement start = connection.prepareStatement(
                         "UPDATE appeal SET status = 'MONITORING' WHERE id = ? AND status = 'REGISTERED'")) {
                insert.setLong(1, appealId);
                insert.setString(2, probe.link());
                insert.setTimestamp(3, Timestamp.from(probe.probedAt()));
                insert.setObject(4, probe.statusCode());
                insert.setString(5, clip(probe.finalUrl(), 2000));
                insert.setString(6, probe.bodySha256());
                insert.setLong(7, probe.elapsedMillis());
                insert.setString(8, clip(probe.error(), 1000));
                insert.setString(9, clip(probe.note(), 1000));
                insert.executeUpdate();
                start.setLong(1, appealId);
                start.executeUpdate();
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot keep the probe: " + e.getMessage(), e);
            }
        });
    }

    public List<Probe> probes(long appealId) {
        return query("SELECT * FROM appeal_probe WHERE appeal_id = ? ORDER BY probed_at, id", appealId, rows -> new Probe(
                rows.getString("link"), instant(rows, "probed_at"), (Integer) rows.getObject("status_code"),
                rows.getString("final_url"), rows.getString("body_sha256"), rows.getLong("elapsed_ms"), rows.getString("error"),
                rows.getString("note")));
    }

    public List<Finding> findings(long appealId) {
        return query("SELECT * FROM appeal_finding WHERE appeal_id = ? ORDER BY link", appealId, rows -> new Finding(
                rows.getString("link"), rows.getBoolean("removed"), rows.getString("note"), instant(rows, "recorded_at")));
    }

    /** Appeals under monitoring whose links were last probed more than a day ago, or never. */
    public List<Appeal> dueForProbe() {
        Instant before = clock.instant().minus(PROBE_EVERY);
        List<String> numbers = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT a.number FROM appeal a
                     WHERE a.status IN ('REGISTERED', 'MONITORING')
                       AND NOT EXISTS (SELECT 1 FROM appeal_probe p WHERE p.appeal_id = a.id AND p.probed_at > ?)
                     ORDER BY a.id""")) {
            select.setTimestamp(1, Timestamp.from(before));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    numbers.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the appeals to probe: " + e.getMessage(), e);
        }
        return numbers.stream().map(number -> register.find(number).orElseThrow()).toList();
    }

    /**
     * Records the authority's findings (a later finding on a link replaces the earlier one).
     *
     * @throws RefusedStepException when the appeal is decided already or a link is not one of its links
     */
    public void recordFindings(Appeal appeal, Map<String, Finding> byLink) {
        requireUndecided(appeal);
        for (String link : byLink.keySet()) {
            if (!appeal.links().contains(link)) {
                throw new RefusedStepException("'" + link + "' is not one of the appeal's links " + appeal.links());
            }
        }
        Instant now = now();
        database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM appeal_finding WHERE appeal_id = ? AND link = ?");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO appeal_finding (appeal_id, link, removed, note, recorded_at) VALUES (?, ?, ?, ?, ?)")) {
                for (Finding finding : byLink.values()) {
                    delete.setLong(1, appeal.id());
                    delete.setString(2, finding.link());
                    delete.executeUpdate();
                    insert.setLong(1, appeal.id());
                    insert.setString(2, finding.link());
                    insert.setBoolean(3, finding.removed());
                    insert.setString(4, clip(finding.note(), 2000));
                    insert.setTimestamp(5, Timestamp.from(now));
                    insert.executeUpdate();
                }
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record the findings: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Decides the appeal: REMOVAL_CONFIRMED when every link's material is found removed, or REFUSED
     * with reasons.
     *
     * @throws RefusedStepException when the state or the findings do not allow it
     */
    public Appeal decide(Appeal appeal, String decision, String reasons) {
        requireUndecided(appeal);
        if ("REMOVAL_CONFIRMED".equals(decision)) {
            Map<String, Boolean> removed = new TreeMap<>();
            findings(appeal.id()).forEach(finding -> removed.put(finding.link(), finding.removed()));
            List<String> open = appeal.links().stream().filter(link -> !Boolean.TRUE.equals(removed.get(link))).toList();
            if (!open.isEmpty()) {
                throw new RefusedStepException("removal is not found for " + open + "; record findings for every link first");
            }
        } else if ("REFUSED".equals(decision)) {
            if (reasons == null || reasons.isBlank()) {
                throw new RefusedStepException("a refusal needs its reasons");
            }
        } else {
            throw new RefusedStepException("the decision is REMOVAL_CONFIRMED or REFUSED");
        }
        int changed = database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE appeal SET status = ?, decided_at = ?, reasons = ?
                    WHERE id = ? AND status IN ('REGISTERED', 'MONITORING')""")) {
                update.setString(1, decision);
                update.setTimestamp(2, Timestamp.from(now()));
                update.setString(3, reasons == null || reasons.isBlank() ? null : clip(reasons.strip(), 8000));
                update.setLong(4, appeal.id());
                int updated = update.executeUpdate();
                if (updated == 1) {
                    AppealNotices.queue(connection, appeal.id(), AppealNotices.Kind.DECIDED, now());
                }
                return updated;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record the decision: " + e.getMessage(), e);
            }
        });
        if (changed == 0) {
            throw new RefusedStepException("appeal " + appeal.number() + " was decided meanwhile");
        }
        return register.find(appeal.number()).orElseThrow();
    }

    /**
     * Marks an appeal RESTORED: its RESTORE was accepted and every recipient has acknowledged that
     * access is resumed. Only a REMOVAL_CONFIRMED appeal moves; anything else is left as it is.
     *
     * @return whether it moved
     */
    public boolean markRestored(String number) {
        return database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE appeal SET status = 'RESTORED' WHERE number = ? AND status = 'REMOVAL_CONFIRMED'");
                 PreparedStatement id = connection.prepareStatement("SELECT id FROM appeal WHERE number = ?")) {
                update.setString(1, number);
                if (update.executeUpdate() != 1) {
                    return false;
                }
                id.setString(1, number);
                try (ResultSet row = id.executeQuery()) {
                    row.next();
                    AppealNotices.queue(connection, row.getLong(1), AppealNotices.Kind.RESTORED, now());
                }
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot mark appeal " + number + " restored: " + e.getMessage(), e);
            }
        });
    }

    /** Appeals still undecided after their deadline (OVERDUE). */
    public long countOverdue() {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT COUNT(*) FROM appeal WHERE status IN ('REGISTERED', 'MONITORING') AND deadline < ?")) {
            select.setTimestamp(1, Timestamp.from(clock.instant()));
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count overdue appeals: " + e.getMessage(), e);
        }
    }

    /** Whether an appeal is undecided after its deadline. */
    public boolean isOverdue(Appeal appeal) {
        return ("REGISTERED".equals(appeal.status()) || "MONITORING".equals(appeal.status()))
                && clock.instant().isAfter(appeal.deadline());
    }

    /** When the removal was confirmed: the decision's time, for the restoration order. */
    public Instant decidedAt(Appeal appeal) {
        List<Instant> at = query("SELECT decided_at FROM appeal WHERE id = ?", appeal.id(), rows -> instant(rows, "decided_at"));
        return at.isEmpty() ? null : at.get(0);
    }

    private static void requireUndecided(Appeal appeal) {
        if (!"REGISTERED".equals(appeal.status()) && !"MONITORING".equals(appeal.status())) {
            throw new RefusedStepException("appeal " + appeal.number() + " is " + appeal.status() + " already");
        }
    }

    private interface Row<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> List<T> query(String sql, long id, Row<T> row) {
        List<T> found = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(row.read(rows));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the appeal's monitoring: " + e.getMessage(), e);
        }
        return found;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
