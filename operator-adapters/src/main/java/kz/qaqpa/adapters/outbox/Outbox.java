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
import kz.qaqpa.directives.intake.AcceptanceStep;
import kz.qaqpa.directives.intake.DirectiveRejectedException;
import kz.qaqpa.directives.intake.DirectiveRejectedException.Reason;

/**
 * Queues a directive's deliveries in the transaction that accepts it, so that a directive is never
 * accepted without them: one per operator it is addressed to ({@code "ALL"}: every active operator)
 * and one per State Technical Service, which receives every directive. A directive addressed to an
 * operator that is not registered and active is refused. A PULL_ONLY recipient's delivery is made
 * at once — the directive is in the feed it pulls — and waits for its acknowledgement like the others.
 */
public final class Outbox implements AcceptanceStep {

    private static final String RECIPIENTS = """
            SELECT id, role, channel FROM recipient
            WHERE active AND (role = 'STATE_TECHNICAL_SERVICE' OR (role = 'OPERATOR' AND (? OR id = ANY (?))))
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
            select.setBoolean(1, everyone);
            select.setArray(2, connection.createArrayOf("VARCHAR", named.toArray()));
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
}
