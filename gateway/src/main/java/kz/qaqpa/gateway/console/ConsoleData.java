package kz.qaqpa.gateway.console;

import static kz.qaqpa.directives.store.Rows.instant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kz.qaqpa.adapters.outbox.DeliveryStatus;
import kz.qaqpa.adapters.outbox.DeliveryView;
import kz.qaqpa.directives.appeal.AppealStatus;
import kz.qaqpa.directives.audit.AuditEntry;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.gateway.access.AccessLog;

/**
 * What the console's pages show, read from the database as it is now (blocking: call it on a
 * worker thread). Days are Almaty's; latency is from a directive's acceptance to a recipient's
 * acknowledgement; a delivery is overdue as the deliveries' API says ({@link DeliveryView#overdue}).
 */
public final class ConsoleData {

    /** How many decided appeals the queue shows after the undecided ones. */
    static final int DECIDED_SHOWN = 20;
    /** How many weeks the latency charts show. */
    static final int WEEKS = 8;
    /** How far back the pictures look. */
    static final int DAYS = 30;
    /** The most audit records one page shows; the export takes as many. */
    static final int AUDIT_PAGE = kz.qaqpa.gateway.audit.AuditHandlers.MAX_RECORDS;

    /** One bar of a chart: its label and its value. */
    public record Bar(String label, long value) {
    }

    /** A recipient's acknowledgements over the last {@value #DAYS} days, and what it owes now. */
    public record RecipientPicture(String id, String name, String role, long acknowledged, Duration median, Duration p95,
                                   Duration worst, long overdueNow) {
    }

    /** A filtering node as its verified receipt shows it: what it enforces and how far behind the published list. */
    public record NodePicture(String id, String flag, long enforcedSerial, long lag) {
    }

    /** The Today page. */
    public record Today(long directivesToday, long directivesThisMonth, List<RecipientPicture> recipients,
                        List<Bar> appealsByDaysLeft, List<Bar> directivesPerDay, List<NodePicture> nodes,
                        List<String> alarms, List<Bar> appealsByOutcome, Map<String, List<Bar>> latencyByWeek) {

        /** Each node's lag behind the published serial, as its verified receipt shows it. */
        public List<Bar> nodeLag() {
            return nodes.stream().map(node -> new Bar(node.id(), node.lag())).toList();
        }
    }

    /** Where the page's operational state comes from: the nodes' receipts, and what readiness raises. */
    public interface Operations {
        List<NodePicture> nodes() throws SQLException;

        /** What people must see to: readiness's alarms and failing checks, by name. */
        Map<String, String> alarms();

        Operations NONE = new Operations() {
            @Override
            public List<NodePicture> nodes() {
                return List.of();
            }

            @Override
            public Map<String, String> alarms() {
                return Map.of();
            }
        };
    }

    private final Database database;
    private final Clock clock;
    private final Duration restrictWindow;
    private final Duration restoreWindow;
    private final AccessLog accessLog;
    private final Operations operations;

    public ConsoleData(Database database, Clock clock, Duration restrictWindow, Duration restoreWindow, AccessLog accessLog,
                       Operations operations) {
        this.operations = operations;
        this.database = database;
        this.clock = clock;
        this.restrictWindow = restrictWindow;
        this.restoreWindow = restoreWindow;
        this.accessLog = accessLog;
    }

    public Today today() throws SQLException {
        Instant now = clock.instant();
        ZoneId almaty = WorkingCalendar.ALMATY;
        LocalDate day = LocalDate.ofInstant(now, almaty);
        Instant dayStart = day.atStartOfDay(almaty).toInstant();
        Instant monthStart = day.withDayOfMonth(1).atStartOfDay(almaty).toInstant();
        Instant windowStart = day.minusDays(DAYS - 1).atStartOfDay(almaty).toInstant();
        // Asked before a connection is taken: they take their own (the embedded store's pool has one).
        List<String> alarms = new ArrayList<>();
        operations.alarms().forEach((name, why) -> alarms.add(name + ": " + why));
        List<NodePicture> nodes = operations.nodes();
        nodes.stream().filter(node -> !"OK".equals(node.flag()))
                .forEach(node -> alarms.add("node " + node.id() + ": " + node.flag()));
        try (Connection connection = database.dataSource().getConnection()) {
            Map<LocalDate, Long> perDay = new TreeMap<>();
            for (int i = DAYS - 1; i >= 0; i--) {
                perDay.put(day.minusDays(i), 0L);
            }
            long thisMonth;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT received_at FROM directive WHERE received_at >= ?")) {
                Instant from = monthStart.isBefore(windowStart) ? monthStart : windowStart;
                select.setTimestamp(1, Timestamp.from(from));
                long month = 0;
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Instant received = instant(rows, "received_at");
                        perDay.computeIfPresent(LocalDate.ofInstant(received, almaty), (d, n) -> n + 1);
                        if (!received.isBefore(monthStart)) {
                            month++;
                        }
                    }
                }
                thisMonth = month;
            }
            List<Bar> directivesPerDay = new ArrayList<>();
            perDay.forEach((date, count) -> directivesPerDay.add(new Bar(date.toString(), count)));
            long today = perDay.getOrDefault(day, 0L);
            long dead = count(connection, "SELECT COUNT(*) FROM delivery WHERE status = 'DEAD'");
            if (dead > 0) {
                alarms.add("deliveries: " + dead + " dead (retries exhausted; see each directive's deliveries)");
            }
            return new Today(today, thisMonth, recipients(connection, now, windowStart),
                    appealsByDaysLeft(connection, now), directivesPerDay, nodes, alarms, appealsByOutcome(connection),
                    latencyByWeek(connection, day));
        }
    }

    /** Per recipient: how long from acceptance to acknowledgement (median, p95, worst) and how many are overdue now. */
    private List<RecipientPicture> recipients(Connection connection, Instant now, Instant since) throws SQLException {
        Map<String, String[]> names = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, name, role FROM recipient WHERE active ORDER BY id"); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                names.put(rows.getString("id"), new String[] {rows.getString("name"), rows.getString("role")});
            }
        }
        Map<String, List<Duration>> latencies = new TreeMap<>();
        Map<String, Long> overdue = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT d.recipient_id, d.acknowledged_at, d.created_at, d.status, r.received_at, r.action FROM delivery d
                JOIN directive r ON r.id = d.directive_id
                WHERE r.received_at >= ? OR d.acknowledged_at IS NULL""")) {
            select.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String recipient = rows.getString("recipient_id");
                    Instant received = instant(rows, "received_at");
                    Instant acknowledged = instant(rows, "acknowledged_at");
                    if (acknowledged != null) {
                        latencies.computeIfAbsent(recipient, r -> new ArrayList<>()).add(Duration.between(received, acknowledged));
                    } else if (DeliveryView.overdue(rows.getString("action"), DeliveryStatus.valueOf(rows.getString("status")),
                            false, instant(rows, "created_at"), now, restrictWindow, restoreWindow)) {
                        overdue.merge(recipient, 1L, Long::sum);
                    }
                }
            }
        }
        List<RecipientPicture> pictures = new ArrayList<>();
        names.forEach((id, nameAndRole) -> {
            List<Duration> sorted = new ArrayList<>(latencies.getOrDefault(id, List.of()));
            Collections.sort(sorted);
            pictures.add(new RecipientPicture(id, nameAndRole[0], nameAndRole[1], sorted.size(), percentile(sorted, 50),
                    percentile(sorted, 95), sorted.isEmpty() ? null : sorted.get(sorted.size() - 1),
                    overdue.getOrDefault(id, 0L)));
        });
        return pictures;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Every appeal by its state: how the appeals came out, and how many are still open. */
    private static List<Bar> appealsByOutcome(Connection connection) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (AppealStatus status : AppealStatus.values()) {
            counts.put(status.name(), 0L);
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT status, COUNT(*) FROM appeal GROUP BY status");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        List<Bar> bars = new ArrayList<>();
        counts.forEach((status, count) -> bars.add(new Bar(status, count)));
        return bars;
    }

    /**
     * Per recipient that acknowledged anything in the last {@value #WEEKS} weeks: the median time
     * from acceptance to acknowledgement, in seconds, of each week (Monday to Sunday, Almaty), by
     * the week's Monday; 0 for a week without acknowledgements.
     */
    private static Map<String, List<Bar>> latencyByWeek(Connection connection, LocalDate day) throws SQLException {
        LocalDate firstMonday = day.with(java.time.DayOfWeek.MONDAY).minusWeeks(WEEKS - 1);
        Map<String, Map<LocalDate, List<Duration>>> byRecipient = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT d.recipient_id, d.acknowledged_at, r.received_at FROM delivery d
                JOIN directive r ON r.id = d.directive_id WHERE d.acknowledged_at >= ?""")) {
            select.setTimestamp(1, Timestamp.from(firstMonday.atStartOfDay(WorkingCalendar.ALMATY).toInstant()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Instant acknowledged = instant(rows, "acknowledged_at");
                    LocalDate monday = LocalDate.ofInstant(acknowledged, WorkingCalendar.ALMATY).with(java.time.DayOfWeek.MONDAY);
                    byRecipient.computeIfAbsent(rows.getString("recipient_id"), r -> new TreeMap<>())
                            .computeIfAbsent(monday, w -> new ArrayList<>())
                            .add(Duration.between(instant(rows, "received_at"), acknowledged));
                }
            }
        }
        Map<String, List<Bar>> charts = new LinkedHashMap<>();
        byRecipient.forEach((recipient, weeks) -> {
            List<Bar> bars = new ArrayList<>();
            for (int i = 0; i < WEEKS; i++) {
                LocalDate monday = firstMonday.plusWeeks(i);
                List<Duration> sorted = new ArrayList<>(weeks.getOrDefault(monday, List.of()));
                Collections.sort(sorted);
                Duration median = percentile(sorted, 50);
                bars.add(new Bar(monday.toString(), median == null ? 0 : median.toSeconds()));
            }
            charts.put(recipient, bars);
        });
        return charts;
    }

    /** Nearest-rank percentile; null when there is nothing to rank. */
    static Duration percentile(List<Duration> sorted, int percent) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** Undecided appeals by whole days left to their deadline; pending ones (no calendar yet) apart. */
    private static List<Bar> appealsByDaysLeft(Connection connection, Instant now) throws SQLException {
        Map<String, Long> buckets = new LinkedHashMap<>();
        for (String bucket : List.of("overdue", "0-2", "3-5", "6-10", "11+", "pending")) {
            buckets.put(bucket, 0L);
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT deadline FROM appeal WHERE status IN " + AppealStatus.sqlUndecided());
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Instant deadline = instant(rows, "deadline");
                buckets.merge(bucket(deadline, now), 1L, Long::sum);
            }
        }
        List<Bar> bars = new ArrayList<>();
        buckets.forEach((label, count) -> bars.add(new Bar(label, count)));
        return bars;
    }

    static String bucket(Instant deadline, Instant now) {
        if (deadline == null) {
            return "pending";
        }
        if (deadline.isBefore(now)) {
            return "overdue";
        }
        long days = Duration.between(now, deadline).toDays();
        return days <= 2 ? "0-2" : days <= 5 ? "3-5" : days <= 10 ? "6-10" : "11+";
    }

    /** An appeal in the reviewer's queue. */
    public record QueueItem(String number, String status, Instant registeredAt, Instant deadline, String resource,
                            String directive, String daysLeft) {
    }

    /** Undecided appeals by deadline (pending ones last), then the latest decided ones. */
    public List<QueueItem> appealQueue() throws SQLException {
        Instant now = clock.instant();
        List<QueueItem> queue = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection()) {
            for (String sql : List.of("""
                    SELECT a.number, a.status, a.registered_at, a.deadline, a.resource, a.cited_directive, d.number AS linked
                    FROM appeal a LEFT JOIN directive d ON d.id = a.directive_id
                    WHERE a.status IN %s ORDER BY CASE WHEN a.deadline IS NULL THEN 1 ELSE 0 END, a.deadline, a.id"""
                    .formatted(AppealStatus.sqlUndecided()), """
                    SELECT a.number, a.status, a.registered_at, a.deadline, a.resource, a.cited_directive, d.number AS linked
                    FROM appeal a LEFT JOIN directive d ON d.id = a.directive_id
                    WHERE a.status NOT IN %s ORDER BY a.id DESC LIMIT %d""".formatted(AppealStatus.sqlUndecided(), DECIDED_SHOWN))) {
                try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Instant deadline = instant(rows, "deadline");
                        boolean undecided = AppealStatus.valueOf(rows.getString("status")).undecided();
                        queue.add(new QueueItem(rows.getString("number"), rows.getString("status"),
                                instant(rows, "registered_at"), deadline, rows.getString("resource"),
                                rows.getString("linked") != null ? rows.getString("linked") : rows.getString("cited_directive"),
                                undecided ? bucket(deadline, now) : ""));
                    }
                }
            }
        }
        return queue;
    }

    /** Audit records for the auditor's page and export. */
    public List<AuditLog.Stored> audit(AuditLog.Filter filter) throws SQLException {
        return AuditLog.search(database.dataSource(), filter, AUDIT_PAGE);
    }

    /** Records an access in the audit log (a sign-in by certificate, a read). */
    void record(AuditEntry entry) {
        accessLog.record(entry);
    }
}
