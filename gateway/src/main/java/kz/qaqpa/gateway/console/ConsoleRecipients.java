package kz.qaqpa.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.adapters.recipient.InvalidRecipientException;
import kz.qaqpa.adapters.recipient.RecipientConflictException;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.directives.access.OfficialRole;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.directives.text.Texts;
import kz.qaqpa.gateway.fanout.RecipientChanges;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.Caller;

/**
 * The register of recipients in the console: every operator, the State Technical Service, the
 * registry and registrars with their channel and state; the registrar of recipients registers one
 * (its token shown once), deactivates or activates it, or gives it a new token — each change through
 * {@link RecipientChanges}, so in the access log like the API's.
 */
public final class ConsoleRecipients {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecipientStore recipients;
    private final RecipientChanges changes;

    public ConsoleRecipients(RecipientStore recipients, RecipientChanges changes) {
        this.recipients = recipients;
        this.changes = changes;
    }

    void list(RoutingContext ctx) {
        page(ctx, 200, Map.of());
    }

    private void page(RoutingContext ctx, int status, Map<String, Object> extra) {
        Blocking.answer(ctx, recipients::list, all -> {
            Map<String, Object> parameters = new HashMap<>(Map.of("t", Console.texts(ctx), "s", Console.session(ctx),
                    "recipients", all, "roles", List.of(Role.values()), "channels", List.of(ChannelKind.values()),
                    "error", "", "done", "", "token", ""));
            parameters.putAll(extra);
            Console.page(ctx, status, "recipients", parameters);
        });
    }

    void register(RoutingContext ctx) {
        Texts t = Console.texts(ctx);
        String id = form(ctx, "id");
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> {
            try {
                JsonNode settings = JSON.readTree(Optional.ofNullable(form(ctx, "settings")).filter(s -> !s.isBlank())
                        .orElse("{}"));
                RecipientStore.Registered registered = changes.register(id, form(ctx, "name"), form(ctx, "bin"),
                        Role.valueOf(form(ctx, "role")), ChannelKind.valueOf(form(ctx, "channel")), settings, actor);
                return Map.<String, Object>of("done", t.get("registeredRecipient") + " " + id, "token", registered.token());
            } catch (IOException e) {
                return Map.<String, Object>of("error", "settings: " + e.getMessage());
            } catch (InvalidRecipientException e) {
                return Map.<String, Object>of("error", e.getMessage() + " " + e.problems());
            } catch (RecipientConflictException | IllegalArgumentException | NullPointerException e) {
                return Map.<String, Object>of("error", String.valueOf(e.getMessage()));
            }
        }, outcome -> page(ctx, outcome.containsKey("error") ? 422 : 201, outcome));
    }

    /** A row's buttons: {@code active} true/false, or {@code rotate} for a new token (shown once). */
    void change(RoutingContext ctx) {
        Texts t = Console.texts(ctx);
        String id = ctx.pathParam("id");
        Optional<Boolean> active = Optional.ofNullable(form(ctx, "active")).map(Boolean::parseBoolean);
        boolean rotate = "true".equals(form(ctx, "rotate"));
        Actor actor = Caller.actor(ctx);
        Blocking.answer(ctx, () -> changes.change(id, new RecipientStore.Change(Optional.empty(), Optional.empty(),
                Optional.empty(), active, rotate), actor), changed -> page(ctx, changed.isEmpty() ? 404 : 200, changed
                .<Map<String, Object>>map(c -> Map.of("done", t.get("changed") + " " + id, "token", c.token().orElse("")))
                .orElse(Map.of("error", "no recipient " + id))));
    }

    private static String form(RoutingContext ctx, String name) {
        return ctx.request().getFormAttribute(name);
    }

    /** Whether the session's official may change the register (the page shows its forms). */
    public static boolean registers(kz.qaqpa.directives.access.OfficialSessions.Session session) {
        return session.official().has(OfficialRole.RECIPIENT_REGISTRAR);
    }
}
