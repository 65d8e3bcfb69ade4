package kz.qaqpa.gateway;

import static kz.qaqpa.directives.access.OfficialRole.ADMINISTRATOR;
import static kz.qaqpa.directives.access.OfficialRole.AUDITOR;
import static kz.qaqpa.directives.access.OfficialRole.ISSUER;
import static kz.qaqpa.directives.access.OfficialRole.RECIPIENT_REGISTRAR;
import static kz.qaqpa.directives.access.OfficialRole.REVIEWER;

import io.github.bucket4j.TimeMeter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import kz.qaqpa.directives.access.OfficialRole;
import kz.qaqpa.directives.appeal.AppealAttachments;
import kz.qaqpa.gateway.appeals.AppealHandlers;
import kz.qaqpa.gateway.appeals.AppealPages;
import kz.qaqpa.gateway.appeals.CalendarHandlers;
import kz.qaqpa.gateway.access.OfficialHandlers;
import kz.qaqpa.gateway.audit.AuditHandlers;
import kz.qaqpa.gateway.console.Console;
import kz.qaqpa.gateway.blocklist.NodeHandlers;
import kz.qaqpa.gateway.config.HttpSecurity;
import kz.qaqpa.gateway.config.RateLimits;
import kz.qaqpa.gateway.directives.DirectiveHandlers;
import kz.qaqpa.gateway.fanout.FanOutHandlers;
import kz.qaqpa.gateway.http.Authentication;
import kz.qaqpa.gateway.http.Authentication.Admits;
import kz.qaqpa.gateway.http.Blocking;
import kz.qaqpa.gateway.http.Caller.Appellant;
import kz.qaqpa.gateway.http.Caller.Recipient;
import kz.qaqpa.gateway.http.HttpMetrics;
import kz.qaqpa.gateway.http.Problems;
import kz.qaqpa.gateway.http.RateLimiter;
import kz.qaqpa.gateway.http.RequestHeadDeadline;
import kz.qaqpa.gateway.http.RouteTable;
import kz.qaqpa.gateway.http.SameOrigin;
import kz.qaqpa.gateway.log.LogHandlers;
import kz.qaqpa.gateway.ops.HealthHandlers;
import kz.qaqpa.gateway.pull.BlocklistHandlers;
import kz.qaqpa.gateway.suspensions.SuspensionHandlers;

/**
 * The gateway's HTTP API. {@link #start()} is its table of contents: every route, grouped by who
 * calls it. Handlers parse, call the domain and answer; failures go to {@link Problems}.
 */
public final class ApiVerticle extends VerticleBase {

    private static final String OPENAPI_RESOURCE = "openapi.json";
    /** An appeal form is a few kilobytes; 64 KiB leaves room for 50 long links and the free text. */
    private static final int APPEAL_FORM_LIMIT = 64 * 1024;
    /** Room in a multipart body for its boundaries and headers beside the file. */
    private static final int UPLOAD_SLACK = 16 * 1024;
    /** A /24 or /56 may send this many times one address's appeals: offices and carriers share addresses. */
    private static final int NETWORK_SHARE = 5;

    private final String host;
    private final int port;
    private final HealthHandlers health;
    private final DirectiveHandlers directives;
    private final NodeHandlers nodes;
    private final FanOutHandlers fanOut;
    private final BlocklistHandlers blocklist;
    private final LogHandlers log;
    private final CalendarHandlers calendar;
    private final AppealHandlers appeals;
    private final AppealPages pages;
    private final SuspensionHandlers suspensions;
    private final AuditHandlers audit;
    private final OfficialHandlers accounts;
    private final Console console;
    private final Authentication authentication;
    private final int maxBodyBytes;
    private final RateLimits rateLimits;
    private final HttpSecurity security;
    private final PrometheusMeterRegistry metrics;
    private final Buffer openApi;

    private RouteTable routes;
    private HttpServer server;
    private HttpServer operationsServer;

    public ApiVerticle(String host, int port, HealthHandlers health, DirectiveHandlers directives, NodeHandlers nodes,
                       FanOutHandlers fanOut, BlocklistHandlers blocklist, LogHandlers log, CalendarHandlers calendar,
                       AppealHandlers appeals, AppealPages pages, SuspensionHandlers suspensions, AuditHandlers audit,
                       OfficialHandlers accounts, Console console,
                       Authentication authentication, int maxBodyBytes, RateLimits rateLimits, HttpSecurity security,
                       PrometheusMeterRegistry metrics) {
        this.suspensions = suspensions;
        this.rateLimits = rateLimits;
        this.security = security;
        this.pages = pages;
        this.audit = audit;
        this.accounts = accounts;
        this.console = console;
        this.calendar = calendar;
        this.appeals = appeals;
        this.fanOut = fanOut;
        this.blocklist = blocklist;
        this.log = log;
        this.host = host;
        this.port = port;
        this.health = health;
        this.directives = directives;
        this.nodes = nodes;
        this.authentication = authentication;
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
        routes = new RouteTable(router);
        // Guards. Open routes are limited per client address before a body is read (the admin
        // token is not counted); many addresses of one network are one sender to the limit on
        // appeals (and the mail they cause); a browser's cross-site post is refused.
        RateLimiter reads = new RateLimiter("look-ups and status reads", rateLimits.lookups(), authentication,
                TimeMeter.SYSTEM_NANOTIME);
        RateLimiter submissions = new RateLimiter("appeals", rateLimits.appeals(), authentication, TimeMeter.SYSTEM_NANOTIME);
        RateLimiter networkSubmissions = RateLimiter.perNetwork("appeals", rateLimits.appeals().times(NETWORK_SHARE),
                authentication, TimeMeter.SYSTEM_NANOTIME);
        SameOrigin sameOrigin = new SameOrigin();
        // Callers (Authentication): who each group of routes takes; a signed directive is
        // authenticated by its signature, on the authority's connection when mutual TLS is required.
        RouteTable.Group open = routes.group();
        RouteTable.Group reading = open.limitedBy(reads);
        RouteTable.Group api = open.body(maxBodyBytes);
        RouteTable.Group recipientsOnly = api.guardedBy(authentication.admitting(Admits.only(Recipient.class)));
        RouteTable.Group apiReading = api.limitedBy(reads);
        RouteTable.Group appealing = open.limitedBy(submissions, networkSubmissions, sameOrigin).body(APPEAL_FORM_LIMIT);

        // The authorised body's officials, each route for the roles whose work it is (OfficialRole);
        // the auditor reads everything and changes nothing; the admin token (automation) has every role.
        // A signed directive is authenticated by its signature, on the authority's connection when
        // mutual TLS is required for it: the issuer signs it on the issuer's own machine.
        api.guardedBy(authentication.authorityConnection()).post("/api/v1/directives", directives::submit);
        api.guardedBy(officials(ISSUER, REVIEWER, AUDITOR)).get("/api/v1/directives", directives::search)
                .get("/api/v1/directives/:id", directives::get);
        api.guardedBy(officials(ISSUER, AUDITOR, ADMINISTRATOR)).get("/api/v1/nodes", nodes::list);
        api.guardedBy(officials(ADMINISTRATOR)).post("/api/v1/nodes/:id/key", nodes::registerKey)
                .post("/api/v1/calendar/reload", calendar::reload);
        // The register of recipients: its registrar changes it; the issuer sees to whom directives go.
        api.guardedBy(officials(RECIPIENT_REGISTRAR, ISSUER, AUDITOR)).get("/api/v1/operators", fanOut.recipients()::list)
                .get("/api/v1/operators/:id", fanOut.recipients()::get);
        api.guardedBy(officials(RECIPIENT_REGISTRAR)).post("/api/v1/operators", fanOut.recipients()::register)
                .patch("/api/v1/operators/:id", fanOut.recipients()::change)
                .post("/api/v1/operators/:id/key", fanOut.recipients()::registerKey);
        // Officials' accounts: the administrator keeps them; the auditor reads them and the access log.
        api.guardedBy(officials(ADMINISTRATOR, AUDITOR)).get("/api/v1/officials", accounts::list);
        api.guardedBy(officials(ADMINISTRATOR)).post("/api/v1/officials", accounts::add)
                .patch("/api/v1/officials/:name", accounts::change)
                .post("/api/v1/officials/:name/credentials", accounts::resetCredentials)
                .post("/api/v1/officials/:name/token", accounts::issueToken);
        api.guardedBy(officials(AUDITOR)).get("/api/v1/audit/verification", audit::verify)
                .get("/api/v1/audit/records", audit::records);

        // Officials following directives, and each recipient (its own): who received and confirmed what.
        api.guardedBy(authentication.admitting(Admits.officials(ISSUER, REVIEWER, AUDITOR).and(Recipient.class)))
                .get("/api/v1/directives/:id/deliveries", fanOut.deliveries()::list);
        recipientsOnly.post("/api/v1/acks", fanOut.deliveries()::acknowledge)
                .post("/api/v1/receipts", log::receipt); // what its pull client holds, signed

        // Recipients (and the officials who follow enforcement): the list itself, to pull.
        RouteTable.Group listReaders = api.guardedBy(authentication.admitting(
                Admits.officials(ISSUER, AUDITOR).and(Recipient.class)));
        listReaders.get("/api/v1/blocklist", blocklist::snapshot)
                .get("/api/v1/blocklist/changes", blocklist::changes)
                .get("/api/v1/blocklist/manifest", blocklist::manifest)
                .get("/api/v1/blocklist/manifest.p7s", blocklist::manifestSignature);

        // Recipients, officials and auditors: the list's Merkle log — its signed head, proofs,
        // and the leaves (which name targets). Heads and proofs are hashes only, so open to all too.
        listReaders.get("/api/v1/log/sth", log::treeHead)
                .get("/api/v1/log/consistency", log::consistency)
                .get("/api/v1/log/inclusion", log::inclusion)
                .get("/api/v1/log/leaves", log::leaves);
        reading.get("/public/v1/log/sth", log::treeHead)
                .get("/public/v1/log/consistency", log::consistency)
                .get("/public/v1/log/inclusion", log::inclusion);

        // Operations: orchestrators and load balancers; Prometheus with a token (or on metrics-port).
        open.get("/health/live", health::live)
                .get("/health/ready", health::ready);
        open.guardedBy(officials(AUDITOR, ADMINISTRATOR)).get("/metrics", this::scrapeMetrics);

        // Everyone: what the API is, and the working-day calendar that legal deadlines follow.
        api.get("/api/v1/openapi.json", this::openApiDocument);
        apiReading.get("/api/v1/calendar/deadline", calendar::deadline)
                .get("/api/v1/calendar/:year", calendar::year);

        // Resource owners: restoration appeals (the status token, or a reviewer or auditor, reads one —
        // an official's read of the appellant's data is recorded), and the public look-up, which
        // never shows personal data.
        appealing.post("/api/v1/appeals", appeals::submit);
        apiReading.guardedBy(authentication.admitting(Admits.officials(REVIEWER, AUDITOR).and(Appellant.class)))
                .get("/api/v1/appeals/:number", appeals::get);
        // Evidence files, counted with the appeals a sender may file; read whole, bounded, by the token holder.
        open.limitedBy(submissions, networkSubmissions, sameOrigin).body(AppealAttachments.MAX_BYTES)
                .guardedBy(authentication.admitting(Admits.only(Appellant.class)))
                .post("/api/v1/appeals/:number/attachments", appeals::attach);
        reading.get("/public/v1/lookup", appeals::lookup)
                // a directive's public page, which a filtering node's 451 links to: HTML for a browser, else JSON
                .get("/public/v1/directives/:number", ctx -> {
                    if (Optional.ofNullable(ctx.request().getHeader(HttpHeaders.ACCEPT)).orElse("").contains("text/html")) {
                        pages.directive(ctx);
                    } else {
                        appeals.directive(ctx);
                    }
                });

        // Resource owners in a browser: the appeal form, its status page, the look-up.
        reading.body(APPEAL_FORM_LIMIT).get("/appeal", pages::form);
        appealing.post("/appeal", pages::submit);
        // The status page's way to attach evidence: the status token in the link, counted with appeals.
        open.limitedBy(submissions, networkSubmissions, sameOrigin).uploads(AppealAttachments.MAX_BYTES + UPLOAD_SLACK,
                pages.uploads()).post("/appeal/attach/:number", pages::attach);
        reading.get("/appeal/status/:number", pages::status)
                .get("/appeal/confirm/:number", pages::confirm)
                .get("/lookup", pages::lookup);

        // The reviewer: the directive an appeal is linked to, findings on its links and on the
        // violations, the decision, and the order it drafts; the auditor reads the evidence and orders.
        api.guardedBy(officials(REVIEWER)).post("/api/v1/appeals/:number/directive", appeals::link)
                .post("/api/v1/appeals/:number/findings", appeals::findings)
                .post("/api/v1/appeals/:number/violations", appeals::violations)
                .post("/api/v1/appeals/:number/decision", appeals::decision);
        api.guardedBy(officials(REVIEWER, AUDITOR)).get("/api/v1/appeals/:number/attachments/:id", appeals::attachment)
                .get("/api/v1/appeals/:number/order", appeals::order);

        // Domain-name suspension (seed 000 §16–26): the issuer, the auditor, the registry and the
        // registrars read the cases they may; the registry and the case's registrar acknowledge their
        // steps; the issuer (or the registry) names a case's registrar.
        api.guardedBy(authentication.admitting(Admits.officials(ISSUER, AUDITOR).and(Recipient.class)))
                .get("/api/v1/suspensions", suspensions::list)
                .get("/api/v1/suspensions/:id", suspensions::get)
                .post("/api/v1/suspensions/:id/steps", suspensions::step);
        api.guardedBy(authentication.admitting(Admits.officials(ISSUER).and(Recipient.class)))
                .post("/api/v1/suspensions/:id/registrar", suspensions::registrar);

        // The console: officials in a browser, by their sessions (password and code, or certificate).
        console.install(routes, reads, authentication.admitting(Admits.only(Recipient.class)));

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
        Future<HttpServer> listening = vertx.createHttpServer(options)
                .connectionHandler(deadline::connected)
                .invalidRequestHandler(Problems::invalidRequest)
                .requestHandler(deadline.stoppingOn(router))
                .listen()
                .onSuccess(started -> server = started);
        if (security.metricsPort().isEmpty()) {
            return listening;
        }
        return listening.compose(started -> operations(security.metricsPort().getAsInt()));
    }

    /**
     * The operations port: {@code /metrics} and {@code /health/*} without a token, on loopback only,
     * for a Prometheus and an orchestrator on the same host.
     */
    private Handler<RoutingContext> officials(OfficialRole... roles) {
        return authentication.admitting(Admits.officials(roles));
    }

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
        Blocking.answer(ctx, metrics::scrape, result -> {
            ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                    .end(result);
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
