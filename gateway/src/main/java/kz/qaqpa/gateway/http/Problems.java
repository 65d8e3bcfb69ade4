package kz.qaqpa.gateway.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become {@code application/problem+json} answers (RFC 9457): unknown
 * routes, wrong methods, {@link ProblemException}s raised by handlers, status codes set by Vert.x
 * (body too large, bad request) and anything unexpected, which is logged with an incident id and
 * answered without internals.
 */
public final class Problems {

    public static final String CONTENT_TYPE = "application/problem+json";

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private final RouteTable routes;

    public Problems(RouteTable routes) {
        this.routes = routes;
    }

    /** Installs the handlers for unmatched requests and failures; call after every route is added. */
    public void install(Router router) {
        router.errorHandler(404, ctx -> send(ctx, ProblemType.NOT_FOUND,
                "There is no resource at " + ctx.request().path(), Map.of()));
        router.errorHandler(405, this::methodNotAllowed);
        router.route().last().failureHandler(this::failure);
        router.errorHandler(500, this::failure);
    }

    private void methodNotAllowed(RoutingContext ctx) {
        String allowed = routes.methodsAt(ctx.request().path()).stream()
                .map(Object::toString).sorted().collect(Collectors.joining(", "));
        ctx.response().putHeader(HttpHeaders.ALLOW, allowed);
        send(ctx, ProblemType.METHOD_NOT_ALLOWED,
                ctx.request().method() + " is not allowed at " + ctx.request().path() + "; allowed: " + allowed,
                Map.of());
    }

    private void failure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure != null && !(failure instanceof ProblemException)) {
            failure = DomainProblems.of(failure).map(Throwable.class::cast).orElse(failure);
        }
        if (failure instanceof ProblemException problem) {
            send(ctx, problem.type(), problem.getMessage(), problem.extensions());
            return;
        }
        ProblemType type = byStatus(ctx.statusCode());
        if (type != ProblemType.INTERNAL) {
            send(ctx, type, type.title(), Map.of());
            return;
        }
        String incident = UUID.randomUUID().toString();
        LOG.error("Incident {} on {} {}", incident, ctx.request().method(), ctx.request().path(), failure);
        send(ctx, ProblemType.INTERNAL, "Unexpected error; incident " + incident + " is logged", Map.of());
    }

    private static ProblemType byStatus(int status) {
        for (ProblemType type : ProblemType.values()) {
            if (type.status() == status) {
                return type;
            }
        }
        return ProblemType.INTERNAL;
    }

    /** Answers with a problem document; nothing is written when the response has already started. */
    public static void send(RoutingContext ctx, ProblemType type, String detail, Map<String, Object> extensions) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.ended()) {
            return;
        }
        JsonObject body = new JsonObject()
                .put("type", type.type().toString())
                .put("title", type.title())
                .put("status", type.status())
                .put("detail", detail)
                .put("instance", ctx.request().path());
        extensions.forEach(body::put);
        response.setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                .end(body.encode());
    }
}
