package kz.qaqpa.gateway.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
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
            if (problem.type() == ProblemType.DATABASE_UNAVAILABLE) {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
            }
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
        write(ctx.response(), ctx.request().path(), type, detail, extensions);
    }

    /**
     * Answers a request the HTTP codec could not read (a request line or headers over the limits,
     * bytes that are not HTTP) with a problem document, and closes the connection: what follows on
     * it cannot be trusted to start a request.
     */
    public static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        ProblemType type = cause instanceof TooLongHttpLineException ? ProblemType.URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? ProblemType.HEADERS_TOO_LARGE
                : ProblemType.BAD_REQUEST;
        String detail = switch (type) {
            case URI_TOO_LONG -> "the request line is longer than " + HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH + " bytes";
            case HEADERS_TOO_LARGE -> "the headers are larger than " + HttpServerOptions.DEFAULT_MAX_HEADER_SIZE + " bytes";
            default -> "not a valid HTTP/1.1 request";
        };
        HttpServerResponse response = request.response().putHeader(HttpHeaders.CONNECTION, "close");
        String path;
        try {
            path = request.path() == null ? "/" : request.path();
        } catch (RuntimeException unreadable) {
            path = "/";
        }
        write(response, path.length() > 200 ? path.substring(0, 200) : path, type, detail, Map.of())
                .onComplete(written -> request.connection().close());
    }

    private static Future<Void> write(HttpServerResponse response, String path, ProblemType type, String detail,
                                      Map<String, Object> extensions) {
        if (response.headWritten() || response.ended()) {
            return Future.succeededFuture();
        }
        JsonObject body = new JsonObject()
                .put("type", type.type().toString())
                .put("title", type.title())
                .put("status", type.status())
                .put("detail", detail)
                .put("instance", path);
        extensions.forEach(body::put);
        return response.setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                .end(body.encode());
    }
}
