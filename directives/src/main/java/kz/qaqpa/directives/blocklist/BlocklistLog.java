package kz.qaqpa.directives.blocklist;

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
import kz.qaqpa.blocklist.model.log.Frontier;
import kz.qaqpa.blocklist.model.log.LogLeaf;

/**
 * The blocklist's Merkle log (RFC 9162) in the database: one {@link LogLeaf} per serial, never
 * pruned, and the log's size and right edge ({@link Frontier}, which gives its root) on the change log's
 * head row.
 * {@link ChangeLog#append} extends it in the intake's transaction, under the head's lock, so the
 * root the database holds is always the root of exactly the changes it holds.
 */
public final class BlocklistLog {

    /** The log at the head: how many leaves (= the serial it reaches) and their root. */
    public record Head(long size, byte[] root) {
    }

    private record Change(long serial, Operation operation, String key, long directiveId) {
    }

    private static final String READ_EDGE = "SELECT serial, log_size, log_frontier FROM blocklist_head WHERE id = 1";
    private static final String MOVE_EDGE = "UPDATE blocklist_head SET log_size = ?, log_frontier = ? WHERE id = 1";
    private static final String READ_HEAD = "SELECT log_size, log_frontier FROM blocklist_head WHERE id = 1";
    private static final String DIRECTIVE = "SELECT number, document_sha256 FROM directive WHERE id = ?";
    private static final String INSERT = """
            INSERT INTO blocklist_log_leaf (serial, operation, target_key, directive_number, document_sha256, leaf_hash)
            VALUES (?, ?, ?, ?, ?, ?)""";
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
        appendLeaves(connection, edge(connection, firstSerial - 1), changes);
    }

    /** Inserts a leaf per change, in order, and moves the log's head past them. */
    private static void appendLeaves(Connection connection, Frontier frontier, List<Change> changes) throws SQLException {
        Map<Long, String[]> directives = new HashMap<>();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Change change : changes) {
                String[] directive = directives.get(change.directiveId());
                if (directive == null) {
                    directive = directive(connection, change.directiveId());
                    directives.put(change.directiveId(), directive);
                }
                LogLeaf leaf = new LogLeaf(change.serial(), change.operation(), change.key(), directive[0], directive[1]);
                byte[] hash = leaf.hash();
                frontier.append(hash);
                bind(insert, leaf, hash);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        moveEdge(connection, frontier);
    }

    /** The log's size and root as last committed. */
    public static Head head(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement read = connection.prepareStatement(READ_HEAD);
             ResultSet head = read.executeQuery()) {
            head.next();
            return new Head(head.getLong(1), Frontier.decode(head.getLong(1), head.getString(2)).root());
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
                Frontier frontier = edge(connection, -1);
                if (frontier.size() == serial) {
                    connection.rollback();
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
                appendLeaves(connection, frontier, pending);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** The right edge at the head; {@code expectedSize} (−1: any) guards against a log behind its change log. */
    private static Frontier edge(Connection connection, long expectedSize) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(READ_EDGE); ResultSet head = read.executeQuery()) {
            head.next();
            long size = head.getLong(2);
            if (expectedSize >= 0 && size != expectedSize) {
                throw new SQLException("the Merkle log reaches serial " + size + ", the change log " + expectedSize
                        + ": the log is built when the gateway starts (BlocklistLog.complete)");
            }
            return Frontier.decode(size, head.getString(3));
        }
    }

    private static void moveEdge(Connection connection, Frontier frontier) throws SQLException {
        try (PreparedStatement move = connection.prepareStatement(MOVE_EDGE)) {
            move.setLong(1, frontier.size());
            move.setString(2, frontier.encoded());
            move.executeUpdate();
        }
    }

    /** The number and document SHA-256 of a directive. */
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

    private static void bind(PreparedStatement insert, LogLeaf leaf, byte[] hash) throws SQLException {
        insert.setLong(1, leaf.serial());
        insert.setString(2, leaf.operation().name());
        insert.setString(3, leaf.key());
        insert.setString(4, leaf.directive());
        insert.setString(5, leaf.documentSha256());
        insert.setString(6, HexFormat.of().formatHex(hash));
    }
}
