package kz.qaqpa.adapters.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.DirectiveDocument;
import kz.qaqpa.directives.document.StoredDocuments;
import kz.qaqpa.directives.intake.AcceptanceStep;
import kz.qaqpa.directives.intake.DirectiveRejectedException;
import kz.qaqpa.directives.intake.DirectiveRejectedException.Reason;

/**
 * Queues a directive's deliveries in the transaction that accepts it, so that a directive is never
 * accepted without them: one per operator it is addressed to ({@code "ALL"}: every active operator)
 * and one per State Technical Service, which receives every directive; a RESTRICT asking for a
 * domain name's suspension goes to the registry as well, and a RESTORE to every registry and
 * registrar that received the directive it cancels (a registrar receives a suspension once its
 * case names it: {@link #addRecipient}). A directive addressed to an
 * operator that is not registered and active is refused. A PULL_ONLY recipient's delivery is made
 * at once — the directive is in the feed it pulls — and waits for its acknowledgement like the others.
 */
public final class Outbox implements AcceptanceStep {

    private static final String RECIPIENTS = """
            SELECT id, role, channel FROM recipient
            WHERE active AND (role = 'STATE_TECHNICAL_SERVICE' OR (role = 'OPERATOR' AND ? AND (? OR id = ANY (?)))
                              OR (role = 'REGISTRY' AND ?)
                              OR (role IN ('REGISTRY', 'REGISTRAR')
                                  AND id IN (SELECT recipient_id FROM delivery WHERE directive_id = ?)))
            ORDER BY id""";
    private static final String INSERT = """
            INSERT INTO delivery (directive_id, recipient_id, status, attempts, created_at, next_attempt_at, delivered_at)
            VALUES (?, ?, ?, 0, ?, ?, ?)""";

    private final Clock clock;

    public Outbox(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void accepted(Connection connection, StoredDirective directive, DirectiveDocument document) throws SQLException {
        boolean everyone = document.recipients().all();
        List<String> named = document.recipients().operatorIds();
        Map<String, ChannelKind> recipients = new LinkedHashMap<>();
        List<String> operatorsFound = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(RECIPIENTS)) {
            // A suspension that restricts nothing is the registry's and the State Technical Service's
            // only, and so is the RESTORE that ends it.
            select.setBoolean(1, document.restrictsAccess()
                    && (directive.cancelsId() == null || restrictsAccess(connection, directive.cancelsId())));
            select.setBoolean(2, everyone);
            select.setArray(3, connection.createArrayOf("VARCHAR", named.toArray()));
            select.setBoolean(4, document.domainSuspension().isPresent());
            select.setLong(5, directive.cancelsId() == null ? -1 : directive.cancelsId());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    recipients.put(rows.getString("id"), ChannelKind.valueOf(rows.getString("channel")));
                    if ("OPERATOR".equals(rows.getString("role"))) {
                        operatorsFound.add(rows.getString("id"));
                    }
                }
            }
        }
        List<String> unknown = named.stream().filter(id -> !operatorsFound.contains(id)).toList();
        if (!unknown.isEmpty()) {
            throw new DirectiveRejectedException(Reason.UNKNOWN_RECIPIENT, "not a registered, active operator: "
                    + String.join(", ", unknown));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Map.Entry<String, ChannelKind> recipient : recipients.entrySet()) {
                boolean pulled = recipient.getValue() == ChannelKind.PULL_ONLY;
                insert.setLong(1, directive.id());
                insert.setString(2, recipient.getKey());
                insert.setString(3, pulled ? DeliveryStatus.DELIVERED.name() : DeliveryStatus.QUEUED.name());
                insert.setTimestamp(4, Timestamp.from(now));
                insert.setTimestamp(5, Timestamp.from(now));
                insert.setTimestamp(6, pulled ? Timestamp.from(now) : null);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Whether the stored directive restricted access: every one but a suspension that said {@code restrictAccess: false}. */
    private static boolean restrictsAccess(Connection connection, long directiveId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT document FROM directive WHERE id = ?")) {
            select.setLong(1, directiveId);
            try (ResultSet row = select.executeQuery()) {
                return !row.next() || StoredDocuments.restrictsAccess(row.getBytes(1));
            }
        }
    }

    /**
     * Adds {@code recipientId} to a directive accepted before — the registrar a suspension case
     * turned out to be with — unless it has a delivery of it already.
     *
     * @return whether a delivery was queued
     */
    public boolean addRecipient(Connection connection, long directiveId, String recipientId) throws SQLException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO delivery (directive_id, recipient_id, status, attempts, created_at, next_attempt_at, delivered_at)
                SELECT ?, id, CASE WHEN channel = 'PULL_ONLY' THEN ? ELSE ? END, 0, ?, ?,
                       CASE WHEN channel = 'PULL_ONLY' THEN ? END
                FROM recipient
                WHERE id = ? AND active
                  AND NOT EXISTS (SELECT 1 FROM delivery WHERE directive_id = ? AND recipient_id = ?)""")) {
            insert.setLong(1, directiveId);
            insert.setString(2, DeliveryStatus.DELIVERED.name());
            insert.setString(3, DeliveryStatus.QUEUED.name());
            insert.setTimestamp(4, Timestamp.from(now));
            insert.setTimestamp(5, Timestamp.from(now));
            insert.setTimestamp(6, Timestamp.from(now));
            insert.setString(7, recipientId);
            insert.setLong(8, directiveId);
            insert.setString(9, recipientId);
            return insert.executeUpdate() == 1;
        }
    }
}
