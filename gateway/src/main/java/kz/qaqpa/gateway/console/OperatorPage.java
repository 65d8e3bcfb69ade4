package kz.qaqpa.gateway.console;

import static kz.qaqpa.directives.store.Rows.instant;

import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.qaqpa.adapters.outbox.DeliveryStatus;
import kz.qaqpa.adapters.outbox.DeliveryView;
import kz.qaqpa.adapters.recipient.RecipientReceipts;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.text.Texts;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.Caller;

/**
 * {@code GET /operator}: a recipient's own page, by its token (and its certificate where mutual TLS
 * is required): what it has not acknowledged yet — its queue, the overdue ones marked — and the last
 * state its {@code qaqpa pull --receipt} reported, signed, and whether it agreed with the log.
 * Nothing of another recipient is on it.
 */
public final class OperatorPage {

    /** The most unacknowledged deliveries the page lists, oldest first. */
    static final int SHOWN = 500;

    /** A delivery still to acknowledge. */
    public record Owed(String directive, String action, String status, int attempts, Instant createdAt, boolean overdue) {
    }

    private final Database database;
    private final RecipientReceipts receipts;
    private final Clock clock;
    private final Duration restrictWindow;
    private final Duration restoreWindow;

    public OperatorPage(Database database, RecipientReceipts receipts, Clock clock, Duration restrictWindow,
                        Duration restoreWindow) {
        this.database = database;
        this.receipts = receipts;
        this.clock = clock;
        this.restrictWindow = restrictWindow;
        this.restoreWindow = restoreWindow;
    }

    public void show(RoutingContext ctx) {
        String id = ((Caller.Recipient) Caller.of(ctx)).id(); // the route takes recipients only
        Texts t = Console.texts(ctx);
        Blocking.answer(ctx, () -> Map.entry(owed(id), Optional.ofNullable(receipts.all().get(id))), found ->
                Console.page(ctx, 200, "operator", Map.of("t", t, "id", id, "owed", found.getKey(), "receipt", found.getValue())));
    }

    List<Owed> owed(String recipient) throws SQLException {
        Instant now = clock.instant();
        List<Owed> owed = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT r.number, r.action, d.status, d.attempts, d.created_at FROM delivery d
                     JOIN directive r ON r.id = d.directive_id
                     WHERE d.recipient_id = ? AND d.acknowledged_at IS NULL ORDER BY d.id LIMIT %d""".formatted(SHOWN))) {
            select.setString(1, recipient);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    DeliveryStatus status = DeliveryStatus.valueOf(rows.getString("status"));
                    Instant created = instant(rows, "created_at");
                    owed.add(new Owed(rows.getString("number"), rows.getString("action"), status.name(),
                            rows.getInt("attempts"), created, DeliveryView.overdue(rows.getString("action"), status, false,
                            created, now, restrictWindow, restoreWindow)));
                }
            }
        }
        return owed;
    }
}
