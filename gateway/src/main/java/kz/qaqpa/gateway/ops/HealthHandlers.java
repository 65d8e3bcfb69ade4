package kz.qaqpa.gateway.ops;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.stream.Collectors;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.ProblemException;
import kz.qaqpa.gateway.http.ProblemType;

/** {@code /health/live} and {@code /health/ready}, for orchestrators and load balancers. */
public final class HealthHandlers {

    private final Readiness readiness;

    public HealthHandlers(Readiness readiness) {
        this.readiness = readiness;
    }

    /** The process is up and its event loop answers; says nothing about its dependencies. */
    public void live(RoutingContext ctx) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("status", "UP").encode());
    }

    /** 200 when every readiness check passes; otherwise 503 naming what is not ready; either way, the raised alarms. */
    public void ready(RoutingContext ctx) {
        Blocking.answer(ctx, readiness::report, report -> {
            Map<String, Readiness.State> states = report.states();
            Map<String, String> reasons = report.reasons();
            // Alarms ask people to act; they do not take the gateway out of service.
            JsonObject alarms = new JsonObject(new java.util.LinkedHashMap<>(report.alarms()));
            JsonObject checks = new JsonObject();
            states.forEach((name, state) -> checks.put(name, state.name()));
            String down = states.entrySet().stream()
                    .filter(entry -> entry.getValue() == Readiness.State.DOWN)
                    .map(Map.Entry::getKey)
                    .collect(Collectors.joining(", "));
            if (!down.isEmpty()) {
                String why = reasons.isEmpty() ? "" : " (" + String.join("; ", reasons.values()) + ")";
                ctx.fail(new ProblemException(ProblemType.NOT_READY, "not ready: " + down + " down" + why,
                        alarms.isEmpty() ? Map.of("checks", checks) : Map.of("checks", checks, "alarms", alarms)));
                return;
            }
            ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("status", "UP").put("checks", checks).put("alarms", alarms).encode());
        });
    }
}
