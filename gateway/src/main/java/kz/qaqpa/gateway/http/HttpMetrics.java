package kz.qaqpa.gateway.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;

/**
 * Times every request as {@code http_server_requests_seconds} with its method, route template
 * (never the raw path, which a client controls) and status.
 */
public final class HttpMetrics implements Handler<RoutingContext> {

    private final MeterRegistry registry;

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(done -> Timer.builder("http.server.requests")
                .description("HTTP requests answered by the gateway")
                .tag("method", ctx.request().method().name())
                .tag("route", ctx.<String>get(RouteTable.TEMPLATE_KEY, "unmatched"))
                .tag("status", Integer.toString(ctx.response().getStatusCode()))
                .register(registry)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        ctx.next();
    }
}
