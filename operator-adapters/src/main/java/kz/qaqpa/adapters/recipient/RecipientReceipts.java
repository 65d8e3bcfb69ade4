package kz.qaqpa.adapters.recipient;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.log.Receipt;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What recipients say they hold ({@code recipient_receipt}): the key the authority registered for
 * each to sign its receipts with, and its latest receipt — kept only once it verifies with that key,
 * with whether the root it states is the gateway's at that size.
 */
public final class RecipientReceipts {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientReceipts.class);

    /** A recipient's latest receipt, whether its root is the log's at its size, and when it came. */
    public record Held(Receipt receipt, boolean agrees, Instant receivedAt) {
    }

    /** What the columns hold: a receipt (a few hundred bytes of JSON) and an ECDSA P-256 signature (at most 72 bytes of DER). */
    public static final int MAX_RECEIPT_BYTES = 1_000;
    public static final int MAX_SIGNATURE_BYTES = 150;

    private static final String UPDATE_KEY = "UPDATE recipient_receipt SET public_key = ?, key_registered_at = ? WHERE recipient_id = ?";
    private static final String INSERT_KEY =
            "INSERT INTO recipient_receipt (recipient_id, public_key, key_registered_at) VALUES (?, ?, ?)";
    private static final String KEY = "SELECT public_key FROM recipient_receipt WHERE recipient_id = ?";
    private static final String RECORD = "UPDATE recipient_receipt SET receipt = ?, signature = ?, agrees = ?, received_at = ? "
            + "WHERE recipient_id = ? AND public_key = ?";
    private static final String HELD = "SELECT recipient_id, public_key, receipt, signature, agrees, received_at "
            + "FROM recipient_receipt WHERE receipt IS NOT NULL";

    private final DataSource dataSource;

    public RecipientReceipts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Registers {@code publicKeyPem} as the key recipient {@code id} signs its receipts with,
     * replacing one registered before.
     *
     * @throws IllegalArgumentException when it is not an EC public key in PEM
     */
    public void registerKey(String id, String publicKeyPem, Instant at) throws SQLException {
        ReceiptKey.publicKey(publicKeyPem);
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement update = connection.prepareStatement(UPDATE_KEY)) {
                update.setString(1, publicKeyPem);
                update.setTimestamp(2, Timestamp.from(at));
                update.setString(3, id);
                if (update.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT_KEY)) {
                insert.setString(1, id);
                insert.setString(2, publicKeyPem);
                insert.setTimestamp(3, Timestamp.from(at));
                insert.executeUpdate();
            }
        }
    }

    /** The key registered for recipient {@code id}. */
    public Optional<String> key(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement read = connection.prepareStatement(KEY)) {
            read.setString(1, id);
            try (ResultSet rows = read.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Keeps {@code bytes} as recipient {@code id}'s latest receipt, once {@code signature} verifies
     * with {@code key} (the PEM {@link #key} gave): false when that key was replaced meanwhile.
     */
    public boolean record(String id, String key, byte[] bytes, byte[] signature, boolean agrees, Instant at) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement record = connection.prepareStatement(RECORD)) {
            record.setString(1, new String(bytes, StandardCharsets.UTF_8));
            record.setString(2, Base64.getEncoder().encodeToString(signature));
            record.setBoolean(3, agrees);
            record.setTimestamp(4, Timestamp.from(at));
            record.setString(5, id);
            record.setString(6, key);
            return record.executeUpdate() == 1;
        }
    }

    /**
     * Recipient id → its latest receipt, each verified again with the key it was kept under; a row
     * that no longer verifies (changed in the database) is left out, and said so in the log.
     */
    public Map<String, Held> all() throws SQLException {
        Map<String, Held> held = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement read = connection.prepareStatement(HELD);
             ResultSet rows = read.executeQuery()) {
            while (rows.next()) {
                try {
                    PublicKey key = ReceiptKey.publicKey(rows.getString(2));
                    Receipt receipt = Receipt.verified(rows.getString(3).getBytes(StandardCharsets.UTF_8),
                            Base64.getDecoder().decode(rows.getString(4)), key);
                    held.put(rows.getString(1), new Held(receipt, rows.getBoolean(5), rows.getTimestamp(6).toInstant()));
                } catch (IllegalArgumentException e) {
                    LOG.error("The receipt kept for recipient {} no longer verifies with its key ({}): not shown",
                            rows.getString(1), e.getMessage());
                }
            }
        }
        return held;
    }
}
