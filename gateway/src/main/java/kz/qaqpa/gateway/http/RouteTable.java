package kz.qaqpa.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Registers routes on a router, each with its guards ({@link Group}), and remembers them: the
 * methods allowed at a path (for 405 answers), the route template of a request (for metrics labels
 * without unbounded cardinality), and the list of every route that the OpenAPI document must describe.
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

    /** Routes open to everyone, with no limit and no body read, until the group says otherwise. */
    public Group group() {
        return new Group(List.of(), Optional.empty(), Optional.empty());
    }

    /** A route open to everyone with no limit and no body (the operations port's). */
    public RouteTable get(String template, Handler<RoutingContext> handler) {
        group().get(template, handler);
        return this;
    }

    /**
     * Routes that share their guards, each declared here and run in this order before the handler:
     * the limits (rate limits, the same-origin check) before anything of the body is read, then the
     * body read up to its limit, then the guard that lets the caller through or refuses it. A guard
     * belongs to the route, never to a path prefix: a prefix guard that let some paths through by
     * their suffix once let {@code /api/v1/directives/deliveries} reach a handler anonymously.
     */
    public final class Group {

        private final List<Handler<RoutingContext>> limits;
        private final Optional<BodyHandler> body;
        private final Optional<Handler<RoutingContext>> guard;

        private Group(List<Handler<RoutingContext>> limits, Optional<BodyHandler> body,
                      Optional<Handler<RoutingContext>> guard) {
            this.limits = limits;
            this.body = body;
            this.guard = guard;
        }

        /** These routes with {@code more} limits, run before the body is read. */
        @SafeVarargs
        public final Group limitedBy(Handler<RoutingContext>... more) {
            List<Handler<RoutingContext>> all = new ArrayList<>(limits);
            all.addAll(List.of(more));
            return new Group(List.copyOf(all), body, guard);
        }

        /** These routes with their bodies read, up to {@code maxBytes} (413 beyond). */
        public Group body(int maxBytes) {
            return new Group(limits, Optional.of(BodyHandler.create(false).setBodyLimit(maxBytes)), guard);
        }

        /**
         * These routes with multipart bodies read up to {@code maxBytes} (413 beyond), their files
         * written to {@code directory} and deleted once the request is answered.
         */
        public Group uploads(int maxBytes, java.nio.file.Path directory) {
            return new Group(limits, Optional.of(BodyHandler.create(true).setBodyLimit(maxBytes)
                    .setUploadsDirectory(directory.toString()).setDeleteUploadedFilesOnEnd(true)), guard);
        }

        /** These routes behind {@code guard}, which lets a request on to the handler or fails it. */
        public Group guardedBy(Handler<RoutingContext> guard) {
            return new Group(limits, body, Optional.of(guard));
        }

        public Group get(String template, Handler<RoutingContext> handler) {
            return add(HttpMethod.GET, template, handler);
        }

        public Group post(String template, Handler<RoutingContext> handler) {
            return add(HttpMethod.POST, template, handler);
        }

        public Group patch(String template, Handler<RoutingContext> handler) {
            return add(HttpMethod.PATCH, template, handler);
        }

        private Group add(HttpMethod method, String template, Handler<RoutingContext> handler) {
            entries.add(new Entry(method, template, toPattern(template)));
            // Vert.x runs a route's handlers in kinds (platform, security policy, body, … user) and
            // refuses a body handler after a user one: the template label is a platform handler and
            // the limits security policies, so that both run before a byte of the body is read.
            Route route = router.route(method, template).handler((PlatformHandler) ctx -> {
                ctx.put(TEMPLATE_KEY, template);
                ctx.next();
            });
            limits.forEach(limit -> route.handler((SecurityPolicyHandler) limit::handle));
            body.ifPresent(route::handler);
            guard.ifPresent(route::handler);
            route.handler(handler);
            return this;
        }
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
