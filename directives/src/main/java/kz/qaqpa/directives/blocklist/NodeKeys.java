package kz.qaqpa.directives.blocklist;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import kz.qaqpa.directives.store.Database;

/**
 * The filtering nodes' public keys, as the authority registered them ({@code filter_node_key}): the
 * one place the gateway learns which key a node signs its receipts with. A key registered again
 * replaces the one before (a node whose key was lost makes a new one).
 */
public final class NodeKeys {

    private static final String UPDATE = "UPDATE filter_node_key SET public_key = ?, registered_at = ? WHERE node_id = ?";
    private static final String INSERT = "INSERT INTO filter_node_key (node_id, public_key, registered_at) VALUES (?, ?, ?)";
    private static final String ALL = "SELECT node_id, public_key FROM filter_node_key";

    private NodeKeys() {
    }

    /** Registers {@code publicKeyPem} (checked by the caller) as node {@code nodeId}'s key; on the disk when it returns. */
    public static void register(Database database, String nodeId, String publicKeyPem, Instant at) {
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                update.setString(1, publicKeyPem);
                update.setTimestamp(2, Timestamp.from(at));
                update.setString(3, nodeId);
                if (update.executeUpdate() == 1) {
                    return null;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot register the key of node " + nodeId + ": " + e.getMessage(), e);
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, nodeId);
                insert.setString(2, publicKeyPem);
                insert.setTimestamp(3, Timestamp.from(at));
                insert.executeUpdate();
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot register the key of node " + nodeId + ": " + e.getMessage(), e);
            }
        });
    }

    /** Node id → its public key (PEM). */
    public static Map<String, String> all(DataSource dataSource) throws SQLException {
        Map<String, String> keys = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement read = connection.prepareStatement(ALL);
             ResultSet rows = read.executeQuery()) {
            while (rows.next()) {
                keys.put(rows.getString(1), rows.getString(2));
            }
        }
        return keys;
    }
}
