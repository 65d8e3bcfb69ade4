package kz.qaqpa.directives.blocklist;

import static kz.qaqpa.directives.store.ColumnInsert.column;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.log.Frontier;
import kz.qaqpa.blocklist.model.log.LogLeaf;
import kz.qaqpa.blocklist.model.log.SetHash;
import kz.qaqpa.directives.store.ColumnInsert;
import kz.qaqpa.directives.store.ColumnInsert.Type;

/**
 * The blocklist's Merkle log (RFC 9162) in the database: one {@link LogLeaf} per serial, never
 * pruned, and on the change log's head row the log's size, its right edge ({@link Frontier}, which
 * gives its root) and the {@link SetHash} of the current set.
 * {@link ChangeLog#append} extends it in the intake's transaction, under the head's lock, so the
 * root the database holds is always the root of exactly the changes it holds.
 */
public final class BlocklistLog {

    /**
     * The log at the head: how many leaves (= the serial it reaches), their right edge and root, and
     * the digest of the set they leave.
     */
    public record Head(long size, Frontier frontier, byte[] root, String setHash) {
    }

    private record Change(long serial, Operation operation, String key, long directiveId) {
    }

    /** The log's edge and the set's hash (null before it is computed), as the intake moves them. */
    private record Edge(Frontier frontier, SetHash set) {
    }

    private static final String READ_EDGE = "SELECT serial, log_size, log_frontier, log_set FROM blocklist_head WHERE id = 1";
    private static final String MOVE_EDGE = "UPDATE blocklist_head SET log_size = ?, log_frontier = ?, log_set = ? WHERE id = 1";
    private static final String READ_HEAD = "SELECT log_size, log_frontier, log_set FROM blocklist_head WHERE id = 1";
    private static final String DIRECTIVE = "SELECT number, document_sha256 FROM directive WHERE id = ?";
    /** The directives entries cite now: what the set hash takes away when the entries change. */
    private static final String CITED = """
            SELECT e.target_key, d.number FROM blocklist_entry e JOIN directive d ON d.id = e.directive_id
            WHERE e.key_sha256 = ANY (CAST(? AS CHAR(64) ARRAY))""";
    private static final ColumnInsert INSERT = ColumnInsert.into("blocklist_log_leaf",
            column("serial", Type.BIGINT), column("operation", Type.VARCHAR), column("target_key", Type.VARCHAR),
            column("directive_number", Type.VARCHAR), column("document_sha256", Type.VARCHAR),
            column("leaf_hash", Type.VARCHAR));
    private static final String LEAF_HASHES = "SELECT leaf_hash FROM blocklist_log_leaf WHERE serial > ? AND serial <= ? ORDER BY serial";
    private static final String LEAVES = """
            SELECT serial, operation, target_key, directive_number, document_sha256
            FROM blocklist_log_leaf WHERE serial >= ? AND serial <= ? ORDER BY serial""";
    /** The changes a log started on an older database is built from. */
    private static final String CHANGES = """
            SELECT c.serial, c.operation, c.target_key, c.directive_id
            FROM blocklist_change c WHERE c.serial > ? AND c.serial <= ? ORDER BY c.serial""";

    private BlocklistLog() {
    }

    /**
     * Adds one leaf per change — serials {@code firstSerial} onwards, one per key, all made under
     * directive {@code directiveId} — and moves the log's head. The caller holds the head's lock.
     */
    static void extend(Connection connection, long firstSerial, Operation operation, List<String> keys,
                       long directiveId) throws SQLException {
        List<Change> changes = new ArrayList<>(keys.size());
        long serial = firstSerial;
        for (String key : keys) {
            changes.add(new Change(serial++, operation, key, directiveId));
        }
        Edge edge = edge(connection, firstSerial - 1);
        if (edge.set() == null) {
            throw new SQLException("the blocklist's set hash is not computed yet: it is computed when the gateway "
                    + "starts (BlocklistLog.complete)");
        }
        Map<Long, String[]> directives = new HashMap<>();
        updateSet(connection, edge.set(), changes, directives);
        appendLeaves(connection, edge.frontier(), changes, directives);
        moveEdge(connection, edge.frontier(), edge.set());
    }

    /**
     * Moves {@code set} past the changes, before the entries change: ADD adds the target under its
     * directive, UPDATE and REMOVE take away the target under the directive its entry cites now
     * (and UPDATE adds it under the new one).
     */
    private static void updateSet(Connection connection, SetHash set, List<Change> changes,
                                  Map<Long, String[]> directives) throws SQLException {
        Map<String, String> cited = cited(connection, changes);
        for (Change change : changes) {
            if (change.operation() != Operation.ADD) {
                String directive = cited.get(change.key());
                if (directive == null) {
                    throw new SQLException(change.operation() + " of " + change.key() + ", which is not in the set");
                }
                set.remove(change.key(), directive);
            }
            if (change.operation().restricts()) {
                set.add(change.key(), directive(connection, directives, change.directiveId())[0]);
            }
        }
    }

    /**
     * The number of the directive each entry the changes take away or re-cite cites now, by key
     * (looked up by its hash; a key whose hash another key shares is not that key).
     */
    private static Map<String, String> cited(Connection connection, List<Change> changes) throws SQLException {
        String[] hashes = changes.stream().filter(change -> change.operation() != Operation.ADD)
                .map(change -> BlocklistKey.sha256(change.key())).toArray(String[]::new);
        Map<String, String> cited = new HashMap<>();
        if (hashes.length == 0) {
            return cited;
        }
        try (PreparedStatement read = connection.prepareStatement(CITED)) {
            read.setArray(1, connection.createArrayOf("varchar", hashes));
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    cited.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return cited;
    }

    /** Inserts a leaf per change, in order, moving {@code frontier} past them. */
    private static void appendLeaves(Connection connection, Frontier frontier, List<Change> changes,
                                     Map<Long, String[]> directives) throws SQLException {
        ColumnInsert.Rows leaves = INSERT.rows();
        for (Change change : changes) {
            String[] directive = directive(connection, directives, change.directiveId());
            LogLeaf leaf = new LogLeaf(change.serial(), change.operation(), change.key(), directive[0], directive[1]);
            byte[] hash = leaf.hash();
            frontier.append(hash);
            leaves.add(leaf.serial(), leaf.operation().name(), leaf.key(), leaf.directive(), leaf.documentSha256(),
                    HexFormat.of().formatHex(hash));
        }
        leaves.insert(connection);
    }

    /** The log's size and root as last committed. */
    public static Head head(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement read = connection.prepareStatement(READ_HEAD);
             ResultSet head = read.executeQuery()) {
            head.next();
            Frontier frontier = Frontier.decode(head.getLong(1), head.getString(2));
            String set = head.getString(3);
            if (set == null) {
                throw new SQLException("the blocklist's set hash is not computed yet (BlocklistLog.complete)");
            }
            return new Head(head.getLong(1), frontier, frontier.root(), SetHash.decode(set).digest());
        }
    }

    /** The leaf hashes of serials {@code after + 1} to {@code upTo}, in order. */
    public static void leafHashes(DataSource dataSource, long after, long upTo, Consumer<byte[]> sink) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false); // lets PostgreSQL stream by the fetch size
            try (PreparedStatement read = connection.prepareStatement(LEAF_HASHES)) {
                read.setFetchSize(10_000);
                read.setLong(1, after);
                read.setLong(2, upTo);
                try (ResultSet rows = read.executeQuery()) {
                    while (rows.next()) {
                        sink.accept(HexFormat.of().parseHex(rows.getString(1)));
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** The leaves of serials {@code from} to {@code to}, in order (an auditor's page: the caller bounds it). */
    public static List<LogLeaf> leaves(DataSource dataSource, long from, long to) throws SQLException {
        List<LogLeaf> leaves = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement read = connection.prepareStatement(LEAVES)) {
            read.setLong(1, from);
            read.setLong(2, to);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    leaves.add(new LogLeaf(rows.getLong(1), Operation.valueOf(rows.getString(2)), rows.getString(3),
                            rows.getString(4), rows.getString(5)));
                }
            }
        }
        return leaves;
    }

    /**
     * Builds the log of a database that has changes from before the log existed, from the change
     * log, in one transaction under the head's lock; nothing when the log is complete. A change log
     * already pruned cannot give the leaves it no longer holds: that is an {@link IllegalStateException}
     * naming the first missing serial, and the gateway does not start on it.
     */
    public static void complete(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                long serial = ChangeLog.lockHead(connection);
                Edge edge = edge(connection, -1);
                Frontier frontier = edge.frontier();
                if (frontier.size() == serial && edge.set() != null) {
                    connection.rollback();
                    return;
                }
                if (frontier.size() == serial) {
                    moveEdge(connection, frontier, currentSet(connection));
                    connection.commit();
                    return;
                }
                List<Change> pending = new ArrayList<>();
                try (PreparedStatement read = connection.prepareStatement(CHANGES)) {
                    read.setLong(1, frontier.size());
                    read.setLong(2, serial);
                    try (ResultSet changes = read.executeQuery()) {
                        while (changes.next()) {
                            pending.add(new Change(changes.getLong(1), Operation.valueOf(changes.getString(2)),
                                    changes.getString(3), changes.getLong(4)));
                        }
                    }
                }
                if (pending.isEmpty() || pending.get(0).serial() != frontier.size() + 1) {
                    throw new IllegalStateException("the Merkle log reaches serial " + frontier.size()
                            + " but the change log no longer holds serial " + (frontier.size() + 1)
                            + " (pruned before the log existed): the log cannot be built");
                }
                appendLeaves(connection, frontier, pending, new HashMap<>());
                moveEdge(connection, frontier, currentSet(connection));
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** The hash of the set the entries hold now. */
    private static SetHash currentSet(Connection connection) throws SQLException {
        SetHash set = SetHash.empty();
        ChangeLog.readEntries(connection, entry -> set.add(entry.key(), entry.directive()));
        return set;
    }

    /** The right edge and set hash at the head; {@code expectedSize} (−1: any) guards against a log behind its change log. */
    private static Edge edge(Connection connection, long expectedSize) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(READ_EDGE); ResultSet head = read.executeQuery()) {
            head.next();
            long size = head.getLong(2);
            if (expectedSize >= 0 && size != expectedSize) {
                throw new SQLException("the Merkle log reaches serial " + size + ", the change log " + expectedSize
                        + ": the log is built when the gateway starts (BlocklistLog.complete)");
            }
            String set = head.getString(4);
            return new Edge(Frontier.decode(size, head.getString(3)), set == null ? null : SetHash.decode(set));
        }
    }

    private static void moveEdge(Connection connection, Frontier frontier, SetHash set) throws SQLException {
        try (PreparedStatement move = connection.prepareStatement(MOVE_EDGE)) {
            move.setLong(1, frontier.size());
            move.setString(2, frontier.encoded());
            move.setString(3, set.encoded());
            move.executeUpdate();
        }
    }

    /** A directive's number and document's SHA-256, read once per {@code known}. */
    private static String[] directive(Connection connection, Map<Long, String[]> known, long id) throws SQLException {
        String[] directive = known.get(id);
        if (directive == null) {
            directive = directive(connection, id);
            known.put(id, directive);
        }
        return directive;
    }

    private static String[] directive(Connection connection, long id) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(DIRECTIVE)) {
            read.setLong(1, id);
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("a change cites directive " + id + ", which does not exist");
                }
                return new String[] {row.getString(1), row.getString(2)};
            }
        }
    }
}
