package kz.qaqpa.gateway.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.github.bucket4j.TimeMeter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import kz.qaqpa.gateway.appeals.AppealHandlers;
import kz.qaqpa.gateway.appeals.AppealPages;
import kz.qaqpa.gateway.appeals.CalendarHandlers;
import kz.qaqpa.gateway.audit.AuditHandlers;
import kz.qaqpa.gateway.blocklist.NodeHandlers;
import kz.qaqpa.gateway.config.HttpSecurity;
import kz.qaqpa.gateway.config.RateLimits;
import kz.qaqpa.gateway.directives.DirectiveHandlers;
import kz.qaqpa.gateway.fanout.Callers;
import kz.qaqpa.gateway.fanout.FanOutHandlers;
import kz.qaqpa.gateway.ops.HealthHandlers;
import kz.qaqpa.gateway.pull.BlocklistHandlers;

/**
 * The gateway's HTTP API. {@link #start()} is its table of contents: every route, grouped by who
 * calls it. Handlers parse, call the domain and answer; failures go to {@link Problems}.
 */
public final class ApiVerticle extends VerticleBase {

    private static final String OPENAPI_RESOURCE = "openapi.json";
    /** An appeal form is a few kilobytes; 64 KiB leaves room for 50 long links and the free text. */
    private static final int APPEAL_FORM_LIMIT = 64 * 1024;
    /** A /24 or /56 may send this many times one address's appeals: offices and carriers share addresses. */
    private static final int NETWORK_SHARE = 5;

    private final String host;
    private final int port;
    private final HealthHandlers health;
    private final DirectiveHandlers directives;
    private final NodeHandlers nodes;
    private final FanOutHandlers fanOut;
    private final BlocklistHandlers blocklist;
    private final CalendarHandlers calendar;
    private final AppealHandlers appeals;
    private final AppealPages pages;
    private final AuditHandlers audit;
    private final AdminAuth admin;
    private final int maxBodyBytes;
    private final RateLimits rateLimits;
    private final HttpSecurity security;
    private final PrometheusMeterRegistry metrics;
    private final Buffer openApi;

    private RouteTable routes;
    private HttpServer server;
    private HttpServer operationsServer;

    public ApiVerticle(String host, int port, HealthHandlers health, DirectiveHandlers directives, NodeHandlers nodes,
                       FanOutHandlers fanOut, BlocklistHandlers blocklist, CalendarHandlers calendar,
                       AppealHandlers appeals, AppealPages pages, AuditHandlers audit, AdminAuth admin, int maxBodyBytes,
                       RateLimits rateLimits, HttpSecurity security, PrometheusMeterRegistry metrics) {
        this.rateLimits = rateLimits;
        this.security = security;
        this.pages = pages;
        this.audit = audit;
        this.calendar = calendar;
        this.appeals = appeals;
        this.fanOut = fanOut;
        this.blocklist = blocklist;
        this.host = host;
        this.port = port;
        this.health = health;
        this.directives = directives;
        this.nodes = nodes;
        this.admin = admin;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
        this.openApi = Buffer.buffer(readResource(OPENAPI_RESOURCE));
    }

    @Override
    public Future<?> start() {
        RequestHeadDeadline deadline = new RequestHeadDeadline(vertx, security.requestHeadTimeout());
        Router router = Router.router(vertx);
        router.route().handler(deadline.restartingWhenAnswered());
        router.route().handler(new HttpMetrics(metrics));
        // No answer is to be read as another type than it says (a JSON answer as a page, say).
        router.route().handler(ctx -> {
            ctx.response().putHeader("X-Content-Type-Options", "nosniff");
            ctx.next();
        });
        // Open to everyone, so limited per client address before a body is read (the admin token is not counted).
        RateLimiter reads = new RateLimiter("look-ups and status reads", rateLimits.lookups(), admin, TimeMeter.SYSTEM_NANOTIME);
        RateLimiter submissions = new RateLimiter("appeals", rateLimits.appeals(), admin, TimeMeter.SYSTEM_NANOTIME);
        // Many addresses of one network are one sender to a limit on appeals (and the mail they cause).
        RateLimiter networkSubmissions = RateLimiter.perNetwork("appeals", rateLimits.appeals().times(NETWORK_SHARE),
                admin, TimeMeter.SYSTEM_NANOTIME);
        router.get("/public/*").handler(reads);
        router.get("/lookup").handler(reads);
        router.get("/appeal").handler(reads);
        router.get("/appeal/status/:number").handler(reads);
        router.get("/appeal/confirm/:number").handler(reads);
        router.get("/api/v1/appeals/:number").handler(reads);
        router.get("/api/v1/calendar/*").handler(reads);
        router.post("/api/v1/appeals").handler(submissions).handler(networkSubmissions);
        router.post("/appeal").handler(submissions).handler(networkSubmissions);
        SameOrigin sameOrigin = new SameOrigin();
        router.post("/api/v1/appeals").handler(sameOrigin);
        router.post("/appeal").handler(sameOrigin);
        // By path, not by method: a method-only route would turn every unknown path into a 405.
        router.post("/api/v1/appeals").handler(BodyHandler.create(false).setBodyLimit(APPEAL_FORM_LIMIT));
        router.route("/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
        router.route("/appeal").handler(BodyHandler.create(false).setBodyLimit(APPEAL_FORM_LIMIT));
        routes = new RouteTable(router);
        // Guards, each declared with its routes below: the authority (admin token), a signed
        // directive (the signature authenticates; mutual TLS when required), recipients and the authority.
        Handler<RoutingContext> authority = admin;
        Handler<RoutingContext> signedDirective = ctx -> {
            admin.requireAuthorityCertificate(ctx); // throws a problem when mutual TLS is required and missing
            ctx.next();
        };
        Handler<RoutingContext> recipients = fanOut.callers();

        // The authorised body: signed directives in (the signature authenticates), reads and the
        // register of recipients with the admin token.
        routes.post("/api/v1/directives", signedDirective, directives::submit)
                .get("/api/v1/directives", authority, directives::search)
                .get("/api/v1/directives/:id", authority, directives::get)
                .get("/api/v1/nodes", authority, nodes::list)
                .get("/api/v1/audit/verification", authority, audit::verify)
                .post("/api/v1/operators", authority, fanOut.recipients()::register)
                .get("/api/v1/operators", authority, fanOut.recipients()::list)
                .get("/api/v1/operators/:id", authority, fanOut.recipients()::get)
                .patch("/api/v1/operators/:id", authority, fanOut.recipients()::change);

        // The authority (every recipient) and each recipient (its own): who received and confirmed what.
        routes.get("/api/v1/directives/:id/deliveries", recipients, fanOut.deliveries()::list)
                .post("/api/v1/acks", recipients, fanOut.deliveries()::acknowledge);

        // Recipients (and the authority): the list itself, to pull.
        routes.get("/api/v1/blocklist", recipients, blocklist::snapshot)
                .get("/api/v1/blocklist/changes", recipients, blocklist::changes)
                .get("/api/v1/blocklist/manifest", recipients, blocklist::manifest)
                .get("/api/v1/blocklist/manifest.p7s", recipients, blocklist::manifestSignature);

        // Operations: orchestrators and load balancers; Prometheus with the admin token (or on metrics-port).
        routes.get("/health/live", health::live)
                .get("/health/ready", health::ready)
                .get("/metrics", authority, this::scrapeMetrics);

        // Everyone: what the API is, and the working-day calendar that legal deadlines follow.
        routes.get("/api/v1/openapi.json", this::openApiDocument)
                .get("/api/v1/calendar/deadline", calendar::deadline)
                .get("/api/v1/calendar/:year", calendar::year);

        // Resource owners: restoration appeals (the status token or the admin token reads one), and
        // the public look-up, which never shows personal data.
        routes.post("/api/v1/appeals", appeals::submit)
                .get("/api/v1/appeals/:number", appeals::get)
                .get("/public/v1/lookup", appeals::lookup);

        // Resource owners in a browser: the appeal form, its status page, the look-up.
        routes.get("/appeal", pages::form)
                .post("/appeal", pages::submit)
                .get("/appeal/status/:number", pages::status)
                .get("/appeal/confirm/:number", pages::confirm)
                .get("/lookup", pages::lookup);

        // The authority: its findings on an appeal's links, its decision, and the order it drafts.
        routes.post("/api/v1/appeals/:number/findings", authority, appeals::findings)
                .post("/api/v1/appeals/:number/decision", authority, appeals::decision)
                .get("/api/v1/appeals/:number/order", authority, appeals::order);

        new Problems(routes).install(router);

        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setCompressionSupported(true)
                // HTTP/1.1 only in clear text: one codec for hostile input to meet, with our limits
                // and problem answers (an h2c upgrade would take another path); HTTP/2 comes with TLS.
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout(60);
        security.tls().ifPresent(tls -> withTls(options, tls));
        Future<HttpServer> api = vertx.createHttpServer(options)
                .connectionHandler(deadline::connected)
                .invalidRequestHandler(Problems::invalidRequest)
                .requestHandler(deadline.stoppingOn(router))
                .listen()
                .onSuccess(listening -> server = listening);
        if (security.metricsPort().isEmpty()) {
            return api;
        }
        return api.compose(listening -> operations(security.metricsPort().getAsInt()));
    }

    /**
     * The operations port: {@code /metrics} and {@code /health/*} without a token, on loopback only,
     * for a Prometheus and an orchestrator on the same host.
     */
    private Future<HttpServer> operations(int port) {
        Router router = Router.router(vertx);
        RouteTable operations = new RouteTable(router)
                .get("/metrics", this::scrapeMetrics)
                .get("/health/live", health::live)
                .get("/health/ready", health::ready);
        new Problems(operations).install(router);
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setIdleTimeout(60))
                .requestHandler(router).listen().onSuccess(listening -> operationsServer = listening);
    }

    /**
     * HTTPS with the given certificate; when a role needs client certificates, they are asked for
     * (not demanded: the public pages stay open to browsers) and checked against the roles' CAs.
     */
    private static void withTls(HttpServerOptions options, HttpSecurity.Tls tls) {
        options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(tls.certificate().toString()).setKeyPath(tls.key().toString()));
        if (tls.authorityCa().isPresent() || tls.operatorCa().isPresent()) {
            PemTrustOptions trust = new PemTrustOptions();
            tls.authorityCa().ifPresent(ca -> trust.addCertPath(ca.toString()));
            tls.operatorCa().ifPresent(ca -> trust.addCertPath(ca.toString()));
            options.setClientAuth(ClientAuth.REQUEST).setTrustOptions(trust);
        }
    }

    /** The event loop the API runs on: what {@code ProcessHealth} watches, and tests block on purpose. */
    public io.vertx.core.Context eventLoop() {
        return context;
    }

    /** The port the server listens on (the chosen one when configured as 0). */
    public int actualPort() {
        return server.actualPort();
    }

    /** Every route of the API, for the OpenAPI document's test. */
    public RouteTable routes() {
        return routes;
    }

    /** The operations port's actual number, when metrics-port is set. */
    public java.util.OptionalInt operationsPort() {
        return operationsServer == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(operationsServer.actualPort());
    }

    /** Stops accepting connections and lets in-flight requests finish for at most {@code grace}. */
    public Future<Void> shutdown(Duration grace) {
        Future<Void> operations = operationsServer == null ? Future.succeededFuture() : operationsServer.close();
        return server == null ? operations : operations.compose(closed -> server.shutdown(grace));
    }

    private void scrapeMetrics(RoutingContext ctx) {
        ctx.vertx().executeBlocking(metrics::scrape, false).onComplete(scraped -> {
            if (scraped.failed()) {
                ctx.fail(scraped.cause());
                return;
            }
            ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                    .end(scraped.result());
        });
    }

    private void openApiDocument(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(openApi);
    }

    private static byte[] readResource(String name) {
        try (InputStream in = Objects.requireNonNull(ApiVerticle.class.getResourceAsStream(name), name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
