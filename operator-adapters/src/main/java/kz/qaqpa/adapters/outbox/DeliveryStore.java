package kz.qaqpa.adapters.outbox;

import static kz.qaqpa.directives.store.Rows.instant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import kz.qaqpa.adapters.channel.Parcel;
import kz.qaqpa.adapters.recipient.Recipient;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.SecretBox;
import kz.qaqpa.directives.store.Database;

/**
 * The outbox in the database: which deliveries are due, taking one for an attempt, recording the
 * outcome and the recipient's acknowledgement.
 *
 * <p>Order. Only the oldest QUEUED delivery of each recipient is ever due, so a recipient gets its
 * directives one at a time in the order they were accepted; one that went DEAD stops holding the
 * others back.
 *
 * <p>Several dispatchers (one per gateway) may share the outbox: an attempt is taken with a
 * conditional update that sets a lease, which only one of them wins. A dispatcher that dies while
 * holding a lease lets the delivery go when the lease runs out, and the next attempt carries the
 * same idempotency key.
 */
public final class DeliveryStore {

    /**
     * The head of each recipient's queue (its oldest QUEUED delivery), when due and not leased. One
     * pass over the queued rows, grouped by recipient: asking per queued row whether an older one
     * exists took 105 ms with 3,700 queued on PostgreSQL, this 2 ms, and the dispatcher asks after
     * every delivery made.
     */
    private static final String DUE = """
            SELECT d.id, d.recipient_id, d.attempts, d.created_at FROM delivery d
            JOIN (SELECT recipient_id, MIN(id) AS head FROM delivery WHERE status = 'QUEUED' GROUP BY recipient_id) q
              ON d.id = q.head
            WHERE d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
            ORDER BY d.id
            LIMIT ?""";
    private static final String TAKE = """
            UPDATE delivery SET lease_until = ?, attempts = attempts + 1
            WHERE id = ? AND status = 'QUEUED' AND attempts = ? AND (lease_until IS NULL OR lease_until < ?)""";
    private static final String PARCEL = """
            SELECT v.id AS delivery_id, v.recipient_id, d.id AS directive_id, d.number, d.action, d.issued_at,
                   d.authority_bin, d.authority_name, d.legal_basis, d.document, d.signature, c.number AS cancels,
                   c.issued_at AS cancels_issued_at
            FROM delivery v JOIN directive d ON d.id = v.directive_id LEFT JOIN directive c ON c.id = d.cancels_id
            WHERE v.id = ?""";
    private static final String VIEW = """
            SELECT v.*, d.action FROM delivery v JOIN directive d ON d.id = v.directive_id
            WHERE v.directive_id = ? ORDER BY v.recipient_id""";

    private final Database database;
    private final DataSource dataSource;
    private final SecretBox secrets;

    /** @param secrets opens the recipients' sealed channel secrets for the attempt */
    public DeliveryStore(Database database, SecretBox secrets) {
        this.database = database;
        this.dataSource = database.dataSource();
        this.secrets = secrets;
    }

    /** A delivery whose attempt is due. */
    public record Due(long id, String recipientId, int attempts, Instant createdAt) {
    }

    /** The next delivery of each recipient whose attempt is due at {@code now}, oldest first. */
    public List<Due> due(Instant now, int limit) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(DUE)) {
            select.setTimestamp(1, Timestamp.from(now));
            select.setTimestamp(2, Timestamp.from(now));
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    due.add(new Due(rows.getLong("id"), rows.getString("recipient_id"), rows.getInt("attempts"),
                            instant(rows, "created_at")));
                }
            }
        }
        return due;
    }

    /** Takes a due delivery for one attempt until {@code leaseUntil}; false when another dispatcher has it. */
    public boolean take(Due due, Instant now, Instant leaseUntil) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement take = connection.prepareStatement(TAKE)) {
            take.setTimestamp(1, Timestamp.from(leaseUntil));
            take.setLong(2, due.id());
            take.setInt(3, due.attempts());
            take.setTimestamp(4, Timestamp.from(now));
            return take.executeUpdate() == 1;
        }
    }

    public void delivered(long id, Instant at) throws SQLException {
        update("UPDATE delivery SET status = 'DELIVERED', delivered_at = ?, lease_until = NULL, last_error = NULL"
                + " WHERE id = ? AND status = 'QUEUED'", Timestamp.from(at), id);
    }

    public void retryAt(long id, Instant next, String error) throws SQLException {
        update("UPDATE delivery SET next_attempt_at = ?, lease_until = NULL, last_error = ? WHERE id = ? AND status = 'QUEUED'",
                Timestamp.from(next), clip(error), id);
    }

    public void dead(long id, String error) throws SQLException {
        update("UPDATE delivery SET status = 'DEAD', lease_until = NULL, last_error = ? WHERE id = ? AND status = 'QUEUED'",
                clip(error), id);
    }

    /** What delivery {@code id} carries, with its recipient. */
    public Optional<Addressed> parcel(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Parcel parcel;
            long directiveId;
            try (PreparedStatement select = connection.prepareStatement(PARCEL)) {
                select.setLong(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    directiveId = rows.getLong("directive_id");
                    parcel = new Parcel(id, idempotencyKey(id), rows.getString("recipient_id"), rows.getString("number"),
                            rows.getString("action"), instant(rows, "issued_at"), rows.getString("authority_bin"),
                            rows.getString("authority_name"), rows.getString("legal_basis"), rows.getString("cancels"),
                            rows.getObject("cancels_issued_at") == null ? null : instant(rows, "cancels_issued_at"),
                            targets(connection, directiveId), rows.getBytes("document"), rows.getBytes("signature"));
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT * FROM recipient WHERE id = ?")) {
                select.setString(1, parcel.recipientId());
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return Optional.of(new Addressed(parcel, RecipientStore.read(rows, secrets)));
                }
            }
        }
    }

    /** A parcel and where it goes. */
    public record Addressed(Parcel parcel, Recipient recipient) {
    }

    /** The key a recipient may deduplicate on: one per delivery, the same on every attempt. */
    public static String idempotencyKey(long deliveryId) {
        return "qaqpa-delivery-" + deliveryId;
    }

    /** Every delivery of a directive, by recipient. */
    public List<DeliveryView> forDirective(long directiveId) throws SQLException {
        List<DeliveryView> views = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(VIEW)) {
            select.setLong(1, directiveId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    views.add(new DeliveryView(rows.getLong("id"), rows.getLong("directive_id"),
                            rows.getString("recipient_id"), rows.getString("action"),
                            DeliveryStatus.valueOf(rows.getString("status")), rows.getInt("attempts"),
                            Optional.ofNullable(rows.getString("last_error")), instant(rows, "created_at"),
                            Optional.ofNullable(instant(rows, "delivered_at")),
                            Optional.ofNullable(rows.getString("acknowledgement")),
                            Optional.ofNullable(instant(rows, "acknowledged_at")),
                            Optional.ofNullable(instant(rows, "acted_at"))));
                }
            }
        }
        return views;
    }

    /** How an acknowledgement was taken. */
    public enum Acknowledged { RECORDED, ALREADY, NO_DELIVERY, WRONG_KIND }

    /**
     * Work that belongs to the last acknowledgement of a directive — every recipient has acted on it
     * — and is done in that acknowledgement's transaction, so that either both are kept or neither
     * (an appeal's RESTORE acknowledged everywhere makes the appeal RESTORED).
     */
    @FunctionalInterface
    public interface AllAcknowledged {

        AllAcknowledged NOTHING = (connection, directiveId) -> { };

        void allAcknowledged(Connection connection, long directiveId) throws SQLException;
    }

    /**
     * Records that {@code recipientId} acted on the directive: ENFORCED for a RESTRICT, RESUMED for a
     * RESTORE. The first acknowledgement counts; a repeat is answered as such and changes nothing.
     * When it is the last one the directive waited for, {@code then} runs in the same transaction.
     */
    public Acknowledged acknowledge(long directiveId, String recipientId, String kind, Instant actedAt, Instant now,
                                    AllAcknowledged then) {
        return database.inTransaction(connection -> {
            try {
                // Acknowledgements of one directive take turns, so that the last one sees all the others.
                try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM directive WHERE id = ? FOR UPDATE")) {
                    lock.setLong(1, directiveId);
                    lock.executeQuery().close();
                }
                Acknowledged result = record(connection, directiveId, recipientId, kind, actedAt, now);
                if (result == Acknowledged.RECORDED && unacknowledged(connection, directiveId) == 0) {
                    then.allAcknowledged(connection, directiveId);
                }
                return result;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record the acknowledgement of directive " + directiveId
                        + " by " + recipientId + ": " + e.getMessage(), e);
            }
        });
    }

    private static Acknowledged record(Connection connection, long directiveId, String recipientId, String kind,
                                       Instant actedAt, Instant now) throws SQLException {
        String action;
        String existing;
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT d.action, v.acknowledgement FROM delivery v JOIN directive d ON d.id = v.directive_id
                WHERE v.directive_id = ? AND v.recipient_id = ?""")) {
            select.setLong(1, directiveId);
            select.setString(2, recipientId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Acknowledged.NO_DELIVERY;
                }
                action = rows.getString("action");
                existing = rows.getString("acknowledgement");
            }
        }
        if (!kind.equals("RESTRICT".equals(action) ? "ENFORCED" : "RESUMED")) {
            return Acknowledged.WRONG_KIND;
        }
        if (existing != null) {
            return Acknowledged.ALREADY;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE delivery SET acknowledgement = ?, acknowledged_at = ?, acted_at = ?
                WHERE directive_id = ? AND recipient_id = ? AND acknowledgement IS NULL""")) {
            update.setString(1, kind);
            update.setTimestamp(2, Timestamp.from(now));
            update.setTimestamp(3, Timestamp.from(actedAt));
            update.setLong(4, directiveId);
            update.setString(5, recipientId);
            return update.executeUpdate() == 1 ? Acknowledged.RECORDED : Acknowledged.ALREADY;
        }
    }

    /** Whether every recipient of the directive has acknowledged it, as this transaction sees it. */
    public static boolean acknowledgedEverywhere(Connection connection, long directiveId) throws SQLException {
        return unacknowledged(connection, directiveId) == 0;
    }

    private static long unacknowledged(Connection connection, long directiveId) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM delivery WHERE directive_id = ? AND acknowledgement IS NULL")) {
            count.setLong(1, directiveId);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Counts of deliveries waiting for an acknowledgement past their window, for the metrics. */
    public long countOverdue(Instant restrictCreatedBefore, Instant restoreCreatedBefore) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement("""
                SELECT COUNT(*) FROM delivery v JOIN directive d ON d.id = v.directive_id
                WHERE v.acknowledgement IS NULL AND v.status <> 'DEAD'
                  AND ((d.action = 'RESTRICT' AND v.created_at < ?) OR (d.action = 'RESTORE' AND v.created_at < ?))""")) {
            select.setTimestamp(1, Timestamp.from(restrictCreatedBefore));
            select.setTimestamp(2, Timestamp.from(restoreCreatedBefore));
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** How many deliveries wait for an attempt. */
    public long countQueued() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM delivery WHERE status = 'QUEUED'");
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * The resources a directive names, as the authority wrote them; for a RESTORE that lists none,
     * those of the directive it cancels — what access is resumed to.
     */
    private static List<String> targets(Connection connection, long directiveId) throws SQLException {
        List<String> targets = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT original FROM directive_target WHERE directive_id = ?
                   OR (directive_id = (SELECT cancels_id FROM directive WHERE id = ?)
                       AND NOT EXISTS (SELECT 1 FROM directive_target WHERE directive_id = ?))
                ORDER BY position""")) {
            select.setLong(1, directiveId);
            select.setLong(2, directiveId);
            select.setLong(3, directiveId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    targets.add(rows.getString(1));
                }
            }
        }
        return targets;
    }

    private void update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            update.executeUpdate();
        }
    }

    private static String clip(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 997) + "...";
    }
}
