package kz.qaqpa.directives.blocklist;

import static kz.qaqpa.directives.store.ColumnInsert.column;
import static kz.qaqpa.directives.store.ColumnInsert.shared;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.LoggedChange;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.TargetKind;
import kz.qaqpa.directives.directive.StoredTarget;
import kz.qaqpa.directives.store.ColumnInsert;
import kz.qaqpa.directives.store.ColumnInsert.Type;

/**
 * The serial-numbered change log of the blocklist, in the relational database.
 *
 * <p>Serials come from one head row. An intake locks it ({@link #lockHead}) before it works out
 * which targets enter or leave the set, so two gateways deciding at once are serialised: the second
 * waits, then sees the first's committed changes, and neither can add a target the other just added.
 * Appending moves the head past the new changes in the same transaction, so a serial is either
 * committed with its change or never given — serials have no gaps, which is what lets a reader
 * detect that it missed one. Lock order everywhere: this head, then the audit head.
 */
public final class ChangeLog {

    private static final String LOCK_HEAD = "SELECT serial FROM blocklist_head WHERE id = 1 FOR UPDATE";
    private static final String MOVE_HEAD = "UPDATE blocklist_head SET serial = ? WHERE id = 1";
    private static final String READ_HEAD = "SELECT serial FROM blocklist_head WHERE id = 1";
    private static final ColumnInsert INSERT = ColumnInsert.into("blocklist_change",
            column("serial", Type.BIGINT), shared("operation", Type.VARCHAR), column("kind", Type.VARCHAR),
            column("target_key", Type.VARCHAR), column("target_value", Type.VARCHAR),
            column("include_subdomains", Type.BOOLEAN), column("host_hint", Type.VARCHAR),
            shared("directive_id", Type.BIGINT), shared("changed_at", Type.TIMESTAMPTZ));
    private static final String SINCE = """
            SELECT c.*, d.number AS directive_number, d.document_sha256
            FROM blocklist_change c JOIN directive d ON d.id = c.directive_id
            WHERE c.serial > ? ORDER BY c.serial LIMIT ?""";

    private static final ColumnInsert ENTRY_ADD = ColumnInsert.into("blocklist_entry",
            column("key_sha256", Type.VARCHAR), column("target_key", Type.VARCHAR), column("kind", Type.VARCHAR),
            column("target_value", Type.VARCHAR), column("include_subdomains", Type.BOOLEAN),
            column("host_hint", Type.VARCHAR), shared("directive_id", Type.BIGINT), column("since_serial", Type.BIGINT));
    private static final String ENTRY_REMOVE = "DELETE FROM blocklist_entry WHERE key_sha256 = ANY (CAST(? AS CHAR(64) ARRAY))";
    private static final String ENTRY_CITE =
            "UPDATE blocklist_entry SET directive_id = ? WHERE key_sha256 = ANY (CAST(? AS CHAR(64) ARRAY))";
    /** In the primary key's order, so that the database streams it without sorting. */
    private static final String ENTRIES = "SELECT * FROM blocklist_entry ORDER BY key_sha256";
    private static final String DIRECTIVE_NUMBER = "SELECT number FROM directive WHERE id = ?";
    private static final String AMONG =
            "SELECT target_key FROM blocklist_entry WHERE key_sha256 = ANY (CAST(? AS CHAR(64) ARRAY))";

    private static final String PRUNE = """
            DELETE FROM blocklist_change
            WHERE serial <= (SELECT serial FROM blocklist_head WHERE id = 1) - ? AND changed_at < ?""";

    /** Changes read at once when the log is walked. */
    private static final int PAGE = 10_000;

    private ChangeLog() {
    }

    /**
     * Deletes the changes that are both more than {@code keepChanges} behind the head and older than
     * {@code keepFor} — the log keeps whichever of the two is longer. The head stays, so serials go
     * on; a reader that needs pruned changes must take a snapshot instead.
     *
     * @return how many changes were deleted
     */
    public static int prune(DataSource dataSource, long keepChanges, Duration keepFor, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement prune = connection.prepareStatement(PRUNE)) {
            prune.setLong(1, keepChanges);
            prune.setTimestamp(2, Timestamp.from(now.minus(keepFor)));
            return prune.executeUpdate();
        }
    }


    /** Locks the head for the rest of the caller's transaction and returns the last serial given. */
    public static long lockHead(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK_HEAD); ResultSet head = lock.executeQuery()) {
            if (!head.next()) {
                throw new SQLException("blocklist_head is missing");
            }
            return head.getLong(1);
        }
    }

    /**
     * Appends one change per target, serials following {@code lastSerial}, moves the head and
     * keeps the current set ({@code blocklist_entry}) and the Merkle log ({@link BlocklistLog}) in step.
     * The caller holds the head lock.
     * For ADD and UPDATE {@code directiveId} is the directive the targets are enforced under from
     * now on; for REMOVE, the RESTORE that lifted them.
     *
     * @return the serial of the last change, or {@code lastSerial} when there was none
     */
    public static long append(Connection connection, long lastSerial, Operation operation,
                              List<StoredTarget> targets, long directiveId, Instant at) throws SQLException {
        if (targets.isEmpty()) {
            return lastSerial;
        }
        // The log first: its set hash takes away what the entries cite before they change.
        BlocklistLog.extend(connection, lastSerial + 1, operation, targets.stream().map(StoredTarget::targetKey).toList(),
                directiveId);
        ColumnInsert.Rows changes = INSERT.rows();
        ColumnInsert.Rows added = ENTRY_ADD.rows();
        List<String> keys = new ArrayList<>(targets.size());
        long serial = lastSerial;
        for (StoredTarget target : targets) {
            serial++;
            changes.add(serial, target.kind().name(), target.targetKey(), target.value(), target.includeSubdomains(),
                    target.hostHint());
            switch (operation) {
                case ADD -> added.add(target.keySha256(), target.targetKey(), target.kind().name(), target.value(),
                        target.includeSubdomains(), target.hostHint(), serial);
                case REMOVE, UPDATE -> keys.add(target.keySha256());
            }
        }
        changes.insert(connection, operation.name(), directiveId, at.atOffset(ZoneOffset.UTC));
        switch (operation) {
            case ADD -> added.insert(connection, directiveId);
            case REMOVE -> {
                try (PreparedStatement remove = connection.prepareStatement(ENTRY_REMOVE)) {
                    remove.setArray(1, connection.createArrayOf("varchar", keys.toArray(String[]::new)));
                    remove.executeUpdate();
                }
            }
            case UPDATE -> {
                try (PreparedStatement cite = connection.prepareStatement(ENTRY_CITE)) {
                    cite.setLong(1, directiveId);
                    cite.setArray(2, connection.createArrayOf("varchar", keys.toArray(String[]::new)));
                    cite.executeUpdate();
                }
            }
        }
        try (PreparedStatement move = connection.prepareStatement(MOVE_HEAD)) {
            move.setLong(1, serial);
            move.executeUpdate();
        }
        return serial;
    }

    /**
     * Reads the whole current set, consistent with the serial returned: the head is locked while
     * the entries are read, so intakes wait for the read (this is for rare full loads, not for
     * every reader). Entries come in the order of their key's SHA-256.
     *
     * @return the serial of the set read
     */
    public static long snapshot(DataSource dataSource, Consumer<BlocklistEntry> sink) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                long serial = lockHead(connection);
                readEntries(connection, sink);
                return serial;
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Reads the current set without stopping intakes, in the order of the keys' SHA-256: one
     * statement, so one consistent state of the database, but at a serial the caller learns only
     * by reading the head before and after and replaying the changes in between.
     */
    public static void entries(DataSource dataSource, Consumer<BlocklistEntry> sink) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false); // lets PostgreSQL stream by the fetch size
            try {
                readEntries(connection, sink);
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    static void readEntries(Connection connection, Consumer<BlocklistEntry> sink) throws SQLException {
        // Directive numbers are looked up once each rather than joined: a join makes the database
        // sort the whole set instead of streaming it in key order.
        Map<Long, String> numbers = new HashMap<>();
        try (PreparedStatement read = connection.prepareStatement(ENTRIES);
             PreparedStatement number = connection.prepareStatement(DIRECTIVE_NUMBER)) {
            read.setFetchSize(1_000);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    long directive = rows.getLong("directive_id");
                    String directiveNumber = numbers.get(directive);
                    if (directiveNumber == null) {
                        directiveNumber = number(number, directive);
                        numbers.put(directive, directiveNumber);
                    }
                    sink.accept(new BlocklistEntry(TargetKind.valueOf(rows.getString("kind")),
                            rows.getString("target_value"), rows.getBoolean("include_subdomains"),
                            Optional.ofNullable(rows.getString("host_hint")), directiveNumber, rows.getLong("since_serial")));
                }
            }
        }
    }

    private static String number(PreparedStatement number, long directive) throws SQLException {
        number.setLong(1, directive);
        try (ResultSet row = number.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("blocklist entry cites directive " + directive + ", which does not exist");
            }
            return row.getString(1);
        }
    }

    /** Which of these blocklist keys are in the current set. */
    public static Set<String> restrictedAmong(DataSource dataSource, Collection<String> keys) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return restrictedAmong(connection, keys);
        }
    }

    /**
     * Which of these blocklist keys are in the current set, read on {@code connection}: an intake
     * asks holding the head's lock, so the answer holds until it commits. Looked up by their
     * SHA-256, {@value #PAGE} keys a query.
     */
    public static Set<String> restrictedAmong(Connection connection, Collection<String> keys) throws SQLException {
        Set<String> restricted = new HashSet<>();
        List<String> all = List.copyOf(new HashSet<>(keys));
        try (PreparedStatement read = connection.prepareStatement(AMONG)) {
            for (int from = 0; from < all.size(); from += PAGE) {
                String[] hashes = all.subList(from, Math.min(all.size(), from + PAGE)).stream()
                        .map(BlocklistKey::sha256).toArray(String[]::new);
                read.setArray(1, connection.createArrayOf("varchar", hashes));
                try (ResultSet rows = read.executeQuery()) {
                    while (rows.next()) {
                        restricted.add(rows.getString(1));
                    }
                }
            }
        }
        restricted.retainAll(all); // a key whose hash another key shares is not that key
        return restricted;
    }

    /** The oldest serial the log still holds, or empty when it holds none. */
    public static Optional<Long> oldestSerial(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement read = connection.prepareStatement("SELECT MIN(serial) FROM blocklist_change");
             ResultSet rows = read.executeQuery()) {
            rows.next();
            long oldest = rows.getLong(1);
            return rows.wasNull() ? Optional.empty() : Optional.of(oldest);
        }
    }

    /** The last serial committed. */
    public static long currentSerial(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement read = connection.prepareStatement(READ_HEAD);
             ResultSet head = read.executeQuery()) {
            head.next();
            return head.getLong(1);
        }
    }

    /** Takes changes one at a time, in serial order; may write them out as it goes. */
    @FunctionalInterface
    public interface ChangeSink {
        void accept(BlocklistChange change) throws IOException;
    }

    /**
     * Reads every change after {@code after} up to {@code upTo} (inclusive) in serial order, a page of
     * {@value #PAGE} at a time, so that memory does not grow with the range: the one way to walk the
     * log. {@code upTo} may be {@link Long#MAX_VALUE} for "to the end".
     *
     * @return the serial of the last change read, or {@code after} when there was none; less than
     *         {@code upTo} when the log ends before it (or was pruned under the reader)
     */
    public static long forEachChange(DataSource dataSource, long after, long upTo, ChangeSink sink)
            throws SQLException, IOException {
        long at = after;
        while (at < upTo) {
            List<BlocklistChange> page = since(dataSource, at, (int) Math.min(PAGE, upTo - at));
            for (BlocklistChange change : page) {
                if (change.serial() > upTo) {
                    return at;
                }
                sink.accept(change);
                at = change.serial();
            }
            if (page.isEmpty()) {
                break;
            }
        }
        return at;
    }

    /** Up to {@code limit} changes after {@code serial}, in order. */
    public static List<BlocklistChange> since(DataSource dataSource, long serial, int limit) throws SQLException {
        return logged(dataSource, serial, limit).stream().map(LoggedChange::change).toList();
    }

    /** Up to {@code limit} changes after {@code serial}, in order, each with its directive's document hash. */
    public static List<LoggedChange> logged(DataSource dataSource, long serial, int limit) throws SQLException {
        List<LoggedChange> changes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement read = connection.prepareStatement(SINCE)) {
            read.setLong(1, serial);
            read.setInt(2, limit);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    changes.add(new LoggedChange(new BlocklistChange(rows.getLong("serial"),
                            Operation.valueOf(rows.getString("operation")),
                            TargetKind.valueOf(rows.getString("kind")),
                            rows.getString("target_value"),
                            rows.getBoolean("include_subdomains"),
                            Optional.ofNullable(rows.getString("host_hint")),
                            rows.getString("directive_number")), rows.getString("document_sha256")));
                }
            }
        }
        return changes;
    }
}
