package kz.qaqpa.gateway.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.adapters.recipient.Recipient;
import kz.qaqpa.adapters.recipient.RecipientReceipts;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.gateway.access.AccessLog;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.Caller;
import kz.qaqpa.gateway.http.Bodies;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;
import kz.qaqpa.gateway.log.LogHandlers;

/**
 * The authorised body's register of recipients: {@code POST/GET /api/v1/operators},
 * {@code GET/PATCH /api/v1/operators/:id}. A recipient's token is in the answer to its
 * registration (and to a PATCH with {@code "rotateToken": true}) and nowhere else; passwords in
 * channel settings are never shown.
 */
public final class RecipientHandlers {

    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final Set<String> REGISTRATION = Set.of("id", "name", "bin", "role", "channel", "settings");
    private static final Set<String> CHANGE = Set.of("name", "channel", "settings", "active", "rotateToken");

    private final RecipientStore recipients;
    private final RecipientReceipts receipts;
    private final Clock clock;
    private final AccessLog accessLog;
    private final RecipientChanges changes;

    /** Every change to the register goes to {@code accessLog} with who made it and from where. */
    public RecipientHandlers(RecipientStore recipients, RecipientReceipts receipts, Clock clock, AccessLog accessLog) {
        this.accessLog = accessLog;
        this.changes = new RecipientChanges(recipients, accessLog);
        this.recipients = recipients;
        this.receipts = receipts;
        this.clock = clock;
    }

    /**
     * {@code POST /api/v1/operators/:id/key}: the public key (PEM, the {@code ID.pub} that
     * {@code qaqpa pull --receipt ID} made) the recipient signs its receipts with; replaces one before.
     */
    public void registerKey(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String pem = Bodies.publicKeyPem(ctx, "the recipient's");
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> {
            if (recipients.find(id).isEmpty()) {
                throw new ProblemException(ProblemType.NOT_FOUND, "there is no recipient " + id);
            }
            receipts.registerKey(id, pem, clock.instant());
            accessLog.record(actor.entry("RECIPIENT_KEY_REGISTERED", "recipient " + id + ": receipt key registered"));
            return id;
        }, registered -> Bodies.json(ctx, 200, new JsonObject().put("id", registered).put("registered", true)));
    }

    /** {@code POST /api/v1/operators}: 201 with the recipient and its token, shown this once. */
    public void register(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, REGISTRATION);
        String id = Bodies.text(body, "id");
        String name = Bodies.text(body, "name");
        String bin = Bodies.text(body, "bin");
        Role role = Bodies.constant(Role.class, Optional.ofNullable(body.getValue("role")).orElse("OPERATOR"), "role");
        ChannelKind channel = Bodies.constant(ChannelKind.class, body.getValue("channel"), "channel");
        JsonNode settings = jackson(body.getValue("settings"));
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> changes.register(id, name, bin, role, channel, settings, actor), registered -> {
            ctx.response().setStatusCode(201)
                    .putHeader(HttpHeaders.LOCATION, "/api/v1/operators/" + id)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(view(registered.recipient()).put("token", registered.token()).encode());
        });
    }

    /** {@code GET /api/v1/operators}: every recipient, by id. */
    public void list(RoutingContext ctx) {
        Blocking.answer(ctx, () -> Map.entry(recipients.list(), receipts.all()), result -> {
            JsonArray items = new JsonArray();
            result.getKey().forEach(recipient -> items.add(view(recipient, result.getValue())));
            Bodies.json(ctx, 200, new JsonObject().put("items", items));
        });
    }

    /** {@code GET /api/v1/operators/:id}. */
    public void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Blocking.answer(ctx, () -> Map.entry(recipients.find(id), receipts.all()), result -> {
            if (result.getKey().isEmpty()) {
                ctx.fail(new ProblemException(ProblemType.NOT_FOUND, "there is no recipient " + id));
            } else {
                Bodies.json(ctx, 200, view(result.getKey().get(), result.getValue()));
            }
        });
    }

    /**
     * {@code PATCH /api/v1/operators/:id}: changes the name, the channel with its settings (settings
     * alone are checked against the current channel), whether it is active, and with
     * {@code "rotateToken": true} gives it a new token, shown in the answer.
     */
    public void change(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        JsonObject body = Bodies.object(ctx, CHANGE);
        Optional<String> name = body.containsKey("name") ? Optional.of(Bodies.text(body, "name")) : Optional.empty();
        Optional<ChannelKind> channel = body.containsKey("channel")
                ? Optional.of(Bodies.constant(ChannelKind.class, body.getValue("channel"), "channel")) : Optional.empty();
        Optional<Boolean> active = Bodies.flag(body, "active");
        boolean rotate = Bodies.flag(body, "rotateToken").orElse(false);
        Optional<JsonNode> settings = body.containsKey("settings") ? Optional.ofNullable(jackson(body.getValue("settings")))
                .or(() -> Optional.of(JACKSON.nullNode())) : Optional.empty();
        RecipientStore.Change change = new RecipientStore.Change(name, channel, settings, active, rotate);
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> changes.change(id, change, actor), changed -> {
            if (changed.isEmpty()) {
                ctx.fail(new ProblemException(ProblemType.NOT_FOUND, "there is no recipient " + id));
            } else {
                JsonObject view = view(changed.get().recipient());
                changed.get().token().ifPresent(token -> view.put("token", token));
                Bodies.json(ctx, 200, view);
            }
        });
    }

    /** A recipient, with the latest receipt its {@code qaqpa pull} posted, when one did. */
    static JsonObject view(Recipient recipient, Map<String, RecipientReceipts.Held> receipts) {
        return view(recipient).put("receipt", Optional.ofNullable(receipts.get(recipient.id()))
                .map(held -> LogHandlers.view(held.receipt()).put("receivedAt", held.receivedAt().toString())
                        .put("flag", held.agrees() ? "OK" : "DISAGREES"))
                .orElse(null));
    }

    static JsonObject view(Recipient recipient) {
        return new JsonObject()
                .put("id", recipient.id())
                .put("name", recipient.name())
                .put("bin", recipient.bin())
                .put("role", recipient.role().name())
                .put("channel", recipient.settings().kind().name())
                .put("settings", new JsonObject(recipient.settings().shown().toString()))
                .put("active", recipient.active())
                .put("createdAt", recipient.createdAt().toString())
                .put("updatedAt", recipient.updatedAt().toString());
    }

    private static JsonNode jackson(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JACKSON.readTree(value instanceof JsonObject object ? object.encode() : io.vertx.core.json.Json.encode(value));
        } catch (IOException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "settings are not JSON");
        }
    }
}
