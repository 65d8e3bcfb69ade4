package kz.qaqpa.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Registers routes on a router and remembers them: the methods allowed at a path (for 405 answers),
 * the route template of a request (for metrics labels without unbounded cardinality), and the list
 * of every route that the OpenAPI document must describe.
 */
public final class RouteTable {

    /** Key under which a request's route template is kept in its routing context. */
    public static final String TEMPLATE_KEY = "qaqpa.route";

    /** One registered route, its path in Vert.x form ({@code /directives/:id}). */
    public record Entry(HttpMethod method, String template, Pattern pattern) {

        /** The path in OpenAPI form: {@code /directives/{id}}. */
        public String openApiPath() {
            return template.replaceAll(":([A-Za-z][A-Za-z0-9]*)", "{$1}");
        }
    }

    private final Router router;
    private final List<Entry> entries = new ArrayList<>();

    public RouteTable(Router router) {
        this.router = router;
    }

    /** A route open to everyone (its rate limit, if any, is set by path before the table). */
    public RouteTable get(String template, Handler<RoutingContext> handler) {
        return add(HttpMethod.GET, template, Optional.empty(), handler);
    }

    /** A route behind {@code guard}, which lets a request on to the handler or fails it. */
    public RouteTable get(String template, Handler<RoutingContext> guard, Handler<RoutingContext> handler) {
        return add(HttpMethod.GET, template, Optional.of(guard), handler);
    }

    public RouteTable post(String template, Handler<RoutingContext> handler) {
        return add(HttpMethod.POST, template, Optional.empty(), handler);
    }

    public RouteTable post(String template, Handler<RoutingContext> guard, Handler<RoutingContext> handler) {
        return add(HttpMethod.POST, template, Optional.of(guard), handler);
    }

    public RouteTable patch(String template, Handler<RoutingContext> guard, Handler<RoutingContext> handler) {
        return add(HttpMethod.PATCH, template, Optional.of(guard), handler);
    }

    /**
     * The guard belongs to the route, not to a path prefix: a prefix guard that let some paths
     * through by their suffix once let {@code /api/v1/directives/deliveries} reach a handler anonymously.
     */
    private RouteTable add(HttpMethod method, String template, Optional<Handler<RoutingContext>> guard,
                           Handler<RoutingContext> handler) {
        entries.add(new Entry(method, template, toPattern(template)));
        Route route = router.route(method, template).handler(ctx -> {
            ctx.put(TEMPLATE_KEY, template);
            ctx.next();
        });
        guard.ifPresent(route::handler);
        route.handler(handler);
        return this;
    }

    /** Every route, in registration order. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The methods some route accepts at this concrete path. */
    public Set<HttpMethod> methodsAt(String path) {
        Set<HttpMethod> methods = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (entry.pattern().matcher(path).matches()) {
                methods.add(entry.method());
            }
        }
        return methods;
    }

    private static Pattern toPattern(String template) {
        StringBuilder regex = new StringBuilder();
        for (String segment : template.split("/", -1)) {
            if (!regex.isEmpty() || !segment.isEmpty()) {
                regex.append('/');
            }
            regex.append(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
        }
        return Pattern.compile(regex.toString());
    }
}
