package kz.qaqpa.gateway.fanout;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import kz.qaqpa.adapters.outbox.DeliveryStore.Acknowledged;
import kz.qaqpa.adapters.outbox.DeliveryStore;
import kz.qaqpa.adapters.outbox.DeliveryView;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.gateway.directives.DirectiveHandlers;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.Bodies;
import kz.qaqpa.gateway.http.Caller;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;

/**
 * Who received and confirmed what: {@code GET /api/v1/directives/:id/deliveries} for the authority
 * (every recipient) and for a recipient (its own delivery only), and {@code POST /api/v1/acks}, by
 * which a recipient confirms it enforced a RESTRICT or resumed access after a RESTORE.
 */
public final class DeliveryHandlers {

    private static final Set<String> ACK_FIELDS = Set.of("directiveId", "status", "at");
    /** A recipient's clock may run a little ahead; an acknowledgement from further in the future is refused. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final DeliveryStore deliveries;
    private final DirectiveRepository directives;
    private final Clock clock;
    private final Duration restrictWindow;
    private final Duration restoreWindow;
    private final AppealMonitoring appeals;

    public DeliveryHandlers(DeliveryStore deliveries, DirectiveRepository directives, Clock clock,
                            Duration restrictWindow, Duration restoreWindow, AppealMonitoring appeals) {
        this.appeals = appeals;
        this.deliveries = deliveries;
        this.directives = directives;
        this.clock = clock;
        this.restrictWindow = restrictWindow;
        this.restoreWindow = restoreWindow;
    }

    /** {@code GET /api/v1/directives/:id/deliveries}: every recipient's to the authority, its own to a recipient. */
    public void list(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        long id = DirectiveHandlers.id(ctx.pathParam("id"));
        Blocking.answer(ctx, () -> {
            List<DeliveryView> all = deliveries.forDirective(id);
            if (caller instanceof Caller.Recipient recipient) {
                List<DeliveryView> own = all.stream().filter(view -> recipient.id().equals(view.recipientId())).toList();
                if (own.isEmpty()) {
                    // The same answer as for an id that does not exist: a recipient learns nothing of
                    // directives that were not addressed to it, not even that they exist.
                    throw new ProblemException(ProblemType.NOT_FOUND,
                            "there is no directive " + id + " addressed to " + recipient.id());
                }
                return own;
            }
            if (all.isEmpty() && directives.findById(id).isEmpty()) {
                throw new ProblemException(ProblemType.NOT_FOUND, "there is no directive " + id);
            }
            return all;
        }, result -> {
            Instant now = clock.instant();
            JsonArray items = new JsonArray();
            result.forEach(view -> items.add(view(view, now)));
            Bodies.json(ctx, 200, new JsonObject().put("directiveId", id).put("deliveries", items));
        });
    }

    /**
     * {@code POST /api/v1/acks} {@code {"directiveId": N, "status": "ENFORCED"|"RESUMED", "at": ISO-8601}}:
     * 201 when recorded, 200 when it was recorded before (the first one counts).
     */
    public void acknowledge(RoutingContext ctx) {
        String recipient = ((Caller.Recipient) Caller.of(ctx)).id(); // the route takes recipients only
        JsonObject body = Bodies.object(ctx, ACK_FIELDS);
        if (!(body.getValue("directiveId") instanceof Number number) || number.longValue() <= 0) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'directiveId' must be a directive's id");
        }
        long directiveId = number.longValue();
        String status = Bodies.text(body, "status");
        if (!"ENFORCED".equals(status) && !"RESUMED".equals(status)) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'status' is ENFORCED (for a RESTRICT) or RESUMED (for a RESTORE)");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant at = actedAt(Bodies.text(body, "at"), now);
        Blocking.answer(ctx, () -> deliveries.acknowledge(directiveId, recipient, status, at, now,
                        (connection, id) -> appeals.restoredEverywhere(connection, id, DeliveryStore::acknowledgedEverywhere)), result -> {
            switch (result) {
                case NO_DELIVERY -> ctx.fail(new ProblemException(ProblemType.NOT_FOUND,
                        "there is no directive " + directiveId + " addressed to " + recipient));
                case WRONG_KIND -> ctx.fail(new ProblemException(ProblemType.ACKNOWLEDGEMENT_MISMATCH,
                        "acknowledge a RESTRICT as ENFORCED and a RESTORE as RESUMED"));
                default -> Bodies.json(ctx, result == Acknowledged.RECORDED ? 201 : 200, new JsonObject()
                        .put("directiveId", directiveId).put("recipient", recipient).put("status", status)
                        .put("recorded", result == Acknowledged.RECORDED));
            }
        });
    }

    private JsonObject view(DeliveryView view, Instant now) {
        JsonObject json = new JsonObject()
                .put("recipient", view.recipientId())
                .put("status", view.status().name())
                .put("overdue", view.overdue(now, restrictWindow, restoreWindow))
                .put("attempts", view.attempts())
                .put("idempotencyKey", DeliveryStore.idempotencyKey(view.id()))
                .put("queuedAt", view.createdAt().toString());
        view.lastError().ifPresent(error -> json.put("lastError", error));
        view.deliveredAt().ifPresent(at -> json.put("deliveredAt", at.toString()));
        view.acknowledgement().ifPresent(ack -> json.put("acknowledgement", ack));
        view.acknowledgedAt().ifPresent(at -> json.put("acknowledgedAt", at.toString()));
        view.actedAt().ifPresent(at -> json.put("actedAt", at.toString()));
        return json;
    }

    private static Instant actedAt(String text, Instant now) {
        if (text == null) {
            return now;
        }
        Instant at;
        try {
            at = Instant.parse(text).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'at' must be an ISO-8601 instant such as 2026-11-22T10:15:30Z");
        }
        if (at.isAfter(now.plus(CLOCK_SKEW))) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "'at' is in the future");
        }
        return at;
    }
}
