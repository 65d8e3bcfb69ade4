package kz.qaqpa.gateway.access;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.directives.access.Official;
import kz.qaqpa.directives.access.OfficialRole;
import kz.qaqpa.directives.access.Officials;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.Bodies;
import kz.qaqpa.gateway.http.Caller;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;

/**
 * {@code /api/v1/officials}: the administrator's calls on officials' accounts — add one (its code
 * secret and enrolment link answered once), change its roles or disable it, reset its password and
 * code secret, issue it an API token (answered once). Each is written to the audit log by whom and
 * from where ({@link Officials}).
 */
public final class OfficialHandlers {

    private static final Set<String> ADDING = Set.of("name", "displayName", "roles", "password");
    private static final Set<String> CHANGING = Set.of("roles", "disabled");

    private final Officials officials;

    public OfficialHandlers(Officials officials) {
        this.officials = officials;
    }

    /** {@code GET /api/v1/officials}: every account, without secrets. */
    public void list(RoutingContext ctx) {
        Blocking.answer(ctx, officials::list, all -> {
            JsonArray list = new JsonArray();
            all.forEach(official -> list.add(view(official)));
            Bodies.json(ctx, 200, new JsonObject().put("officials", list));
        });
    }

    /** {@code POST /api/v1/officials}: {@code {name, displayName, roles: [..], password}}; 201 with the code secret, once. */
    public void add(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, ADDING);
        String name = Bodies.text(body, "name");
        String displayName = Bodies.text(body, "displayName");
        Set<OfficialRole> roles = roles(body).orElseThrow(() -> new ProblemException(ProblemType.BAD_REQUEST,
                "'roles' is a list of " + EnumSet.allOf(OfficialRole.class)));
        char[] password = Optional.ofNullable(Bodies.text(body, "password")).orElse("").toCharArray();
        Blocking.answer(ctx, () -> officials.add(name, displayName, roles, password, Caller.actor(ctx)), enrolment -> {
            ctx.response().setStatusCode(201).putHeader(HttpHeaders.LOCATION, "/api/v1/officials/" + name)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(enrolmentView(enrolment).encode());
        });
    }

    /** {@code PATCH /api/v1/officials/:name}: {@code {roles?, disabled?}}. */
    public void change(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, CHANGING);
        Optional<Set<OfficialRole>> roles = body.containsKey("roles") ? Optional.of(roles(body).orElseThrow(() ->
                new ProblemException(ProblemType.BAD_REQUEST, "'roles' is a list of " + EnumSet.allOf(OfficialRole.class))))
                : Optional.empty();
        Optional<Boolean> disabled = Bodies.flag(body, "disabled");
        String name = ctx.pathParam("name");
        Blocking.answer(ctx, () -> officials.change(name, roles, disabled, Caller.actor(ctx)),
                changed -> Bodies.json(ctx, 200, view(changed)));
    }

    /** {@code POST /api/v1/officials/:name/credentials}: {@code {password}}; a new code secret, answered once. */
    public void resetCredentials(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, Set.of("password"));
        char[] password = Optional.ofNullable(Bodies.text(body, "password")).orElse("").toCharArray();
        String name = ctx.pathParam("name");
        Blocking.answer(ctx, () -> officials.resetCredentials(name, password, Caller.actor(ctx)), enrolment -> {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            Bodies.json(ctx, 200, enrolmentView(enrolment));
        });
    }

    /** {@code POST /api/v1/officials/:name/token}: a new API token for the official, answered once. */
    public void issueToken(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Blocking.answer(ctx, () -> officials.issueToken(name, Caller.actor(ctx)), token -> {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            Bodies.json(ctx, 200, new JsonObject().put("name", name).put("token", token));
        });
    }

    static JsonObject view(Official official) {
        JsonArray roles = new JsonArray();
        official.roles().stream().sorted().forEach(role -> roles.add(role.name()));
        JsonObject json = new JsonObject().put("name", official.name()).put("displayName", official.displayName())
                .put("roles", roles).put("disabled", official.disabled()).put("hasToken", official.hasToken())
                .put("createdAt", official.createdAt().toString());
        official.lockedUntil().ifPresent(until -> json.put("lockedUntil", until.toString()));
        return json;
    }

    private static JsonObject enrolmentView(Officials.Enrolment enrolment) {
        return view(enrolment.official()).put("totpSecret", enrolment.totpSecret()).put("totpLink", enrolment.totpLink());
    }

    private static Optional<Set<OfficialRole>> roles(JsonObject body) {
        if (!(body.getValue("roles") instanceof JsonArray list)) {
            return Optional.empty();
        }
        Set<OfficialRole> roles = EnumSet.noneOf(OfficialRole.class);
        for (Object item : list) {
            if (!(item instanceof String name)) {
                return Optional.empty();
            }
            try {
                roles.add(OfficialRole.named(name));
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.BAD_REQUEST, e.getMessage());
            }
        }
        return Optional.of(roles);
    }
}
