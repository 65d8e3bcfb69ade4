package kz.qaqpa.gateway;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import kz.qaqpa.adapters.outbox.Outbox;
import kz.qaqpa.blocklist.cluster.ClusterMember;
import kz.qaqpa.blocklist.cluster.ClusterUnavailableException;
import kz.qaqpa.blocklist.node.FilterNode;
import kz.qaqpa.blocklist.replica.NodeStatus;
import kz.qaqpa.directives.appeal.AppealLink;
import kz.qaqpa.directives.directive.CourtDecisionRepository;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.TargetRepository;
import kz.qaqpa.directives.document.DirectiveParser;
import kz.qaqpa.directives.intake.AcceptanceStep;
import kz.qaqpa.directives.intake.DirectiveExpiry;
import kz.qaqpa.directives.intake.DirectiveIntake;
import kz.qaqpa.directives.signature.RevocationLists;
import kz.qaqpa.directives.signature.SignatureVerifier;
import kz.qaqpa.directives.signature.TrustSettings;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseUnavailableException;
import kz.qaqpa.directives.store.PrivateFiles;
import kz.qaqpa.gateway.access.Access;
import kz.qaqpa.gateway.appeals.Appeals;
import kz.qaqpa.gateway.audit.AuditHandlers;
import kz.qaqpa.gateway.blocklist.Blocklist;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.TrustFiles;
import kz.qaqpa.gateway.console.Console;
import kz.qaqpa.gateway.console.ConsoleAppeals;
import kz.qaqpa.gateway.console.ConsoleData;
import kz.qaqpa.gateway.console.ConsoleDirectives;
import kz.qaqpa.gateway.console.ConsoleRecipients;
import kz.qaqpa.gateway.console.OperatorPage;
import kz.qaqpa.gateway.directives.DirectiveHandlers;
import kz.qaqpa.gateway.directives.ExpiryJob;
import kz.qaqpa.gateway.embedded.EmbeddedDefaults.DemoPki;
import kz.qaqpa.gateway.embedded.EmbeddedDefaults;
import kz.qaqpa.gateway.fanout.FanOut;
import kz.qaqpa.gateway.fanout.RecipientChanges;
import kz.qaqpa.gateway.http.Authentication;
import kz.qaqpa.gateway.http.ClientCertificates;
import kz.qaqpa.gateway.ops.CrlWatch;
import kz.qaqpa.gateway.ops.HealthHandlers;
import kz.qaqpa.gateway.ops.ProcessHealth;
import kz.qaqpa.gateway.ops.Readiness;
import kz.qaqpa.gateway.pull.Feeds;
import kz.qaqpa.gateway.pull.ZoneTransfers;
import kz.qaqpa.gateway.suspensions.Suspensions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway, composed: the database, the cluster member and what every process needs
 * (metrics, health, trust), then the features — the replicated blocklist ({@link Blocklist}),
 * appeals ({@link Appeals}), the fan-out to recipients ({@link FanOut}), the operators' feeds
 * ({@link Feeds}), the intake — and the HTTP API over their handlers; started in that order and
 * stopped in the reverse one.
 *
 * <p>Stopping is graceful: the gateway first reports not ready, stops accepting connections and
 * gives in-flight requests the configured grace, then stops the filtering node and the publisher,
 * leaves the cluster (its partitions are handed over), and closes the database pool.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** How often restrictions whose period ended are looked for: a minute late at most. */
    private static final Duration EXPIRY_EVERY = Duration.ofMinutes(1);

    private final GatewayConfig config;
    private final Embedded embedded;
    private final Optional<FilterNode> filterNode;
    private final Optional<ZoneTransfers> zoneTransfers;
    /** Everything started, newest first: stopped in this order after the HTTP server has drained. */
    private final Deque<AutoCloseable> parts;
    private final Database database;
    private final ClusterMember cluster;
    private final Readiness readiness;
    private final Vertx vertx;
    private final ApiVerticle api;
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean closing;

    private Gateway(GatewayConfig config, Embedded embedded, Database database,
                    ClusterMember cluster, Optional<FilterNode> filterNode, Optional<ZoneTransfers> zoneTransfers,
                    Deque<AutoCloseable> parts,
                    Readiness readiness, Vertx vertx, ApiVerticle api) {
        this.config = config;
        this.embedded = embedded;
        this.filterNode = filterNode;
        this.zoneTransfers = zoneTransfers;
        this.parts = parts;
        this.database = database;
        this.cluster = cluster;
        this.readiness = readiness;
        this.vertx = vertx;
        this.api = api;
    }

    /**
     * Starts a gateway and returns once its HTTP API accepts connections.
     *
     * @throws StartupException naming the part that could not start; what had started is stopped
     */
    public static Gateway start(GatewayConfig config) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            createDataDirectory(config);
            Clock clock = Clock.systemUTC();
            PrometheusMeterRegistry metrics = newMetrics();
            started.push(metrics::close);
            Database database = Database.open(config.database(), metrics);
            started.push(database);
            ClusterMember cluster = ClusterMember.join(config.cluster());
            started.push(cluster);
            cluster.bindMetrics(metrics);
            Vertx vertx = Vertx.vertx();
            started.push(() -> await(vertx.close(), Duration.ofSeconds(10)));
            ProcessHealth process = ProcessHealth.defaults(metrics);
            started.push(process);
            Embedded embedded = Embedded.of(config);
            RevocationLists crls = revocationLists(embedded.trust());
            CrlWatch crlWatch = new CrlWatch(crls, embedded.trust().crlGrace(), clock).bindMetrics(metrics).start();
            started.push(crlWatch);

            // The features, each started with what it needs; each pushes what has to be stopped.
            AtomicReference<ApiVerticle> listening = new AtomicReference<>(); // the API's port, for mailed links
            Appeals appeals = Appeals.start(config, database, clock, metrics, () -> listening.get().actualPort(), started);
            FanOut fanOut = FanOut.start(config, database, vertx, clock, metrics, started);
            Feeds feeds = Feeds.start(config, database, fanOut.signer(), clock, started);
            Suspensions suspensions = Suspensions.start(config, database, appeals.calendar(), fanOut, clock, metrics, started);
            Blocklist blocklist = Blocklist.start(config, database, cluster, feeds.heads(), fanOut.signer().certificate(),
                    clock, metrics, started);
            DirectiveIntake intake = new DirectiveIntake(database, new SignatureVerifier(trust(embedded.trust()), crls, clock),
                    new DirectiveParser(config.intake().maxTargets(), config.intake().collateralGuard(), clock), clock,
                    AcceptanceStep.all(new Outbox(clock), new AppealLink(), suspensions.cases())).bindMetrics(metrics);
            // Restrictions for a period end on their own: the gateway signs the RESTORE (seed 002 art. 21).
            started.push(ExpiryJob.start(new DirectiveExpiry(database, intake, fanOut.signer(), clock), EXPIRY_EVERY));

            // The API: every feature's handlers, behind the guards ApiVerticle declares with each route.
            DirectiveRepository directives = database.repository(DirectiveRepository.class);
            ClientCertificates certificates = clientCertificates(config);
            Access access = Access.start(config, database, clock);
            Path uploads = uploads(config); // the pages' files while they are read, private
            Authentication authentication = new Authentication(embedded.adminToken(), certificates, fanOut.recipientTokens(),
                    access.accounts());
            Readiness readiness = new Readiness(checks(process, database, cluster, blocklist, crlWatch),
                    Map.of("calendar", appeals.calendarAlarm(clock), "suspension", suspensions.registrarAlarm()));
            readiness.bindMetrics(metrics);
            ApiVerticle api = new ApiVerticle(config.httpHost(), config.httpPort(), new HealthHandlers(readiness),
                    new DirectiveHandlers(intake, directives, database.repository(TargetRepository.class),
                            database.repository(CourtDecisionRepository.class), blocklist.nodes()),
                    blocklist.handlers(),
                    fanOut.handlers(config, directives, appeals.monitoring(), clock, access.accessLog()),
                    feeds.handlers(), feeds.log(), appeals.calendarHandlers(), appeals.handlers(directives,
                            database.repository(CourtDecisionRepository.class), fanOut::addressees, access.accessLog()),
                    appeals.pages(directives, config.retention().keepAppellants(), uploads), suspensions.handlers(),
                    new AuditHandlers(database.dataSource()), access.handlers(),
                    console(config, database, clock, access, certificates, appeals, intake, fanOut, directives,
                            consoleOperations(blocklist, readiness), uploads),
                    authentication,
                    config.intake().maxDirectiveBytes(), config.rateLimits(), config.http(), metrics);
            listening.set(api);
            awaitStart(vertx.deployVerticle(api), config);
            process.watch(api.eventLoop());
            LOG.info("HTTP listening on port {}", api.actualPort());
            return new Gateway(config, embedded, database, cluster, blocklist.filterNode(), feeds.zoneTransfers(), started,
                    readiness, vertx, api);
        } catch (DatabaseUnavailableException | ClusterUnavailableException | StartupException e) {
            stopAll(started);
            throw e instanceof StartupException startup ? startup : new StartupException(e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            stopAll(started);
            throw e;
        }
    }

    /** The officials' console, on the features it shows. */
    private static Console console(GatewayConfig config, Database database, Clock clock, Access access,
                                   ClientCertificates certificates, Appeals appeals, DirectiveIntake intake, FanOut fanOut,
                                   DirectiveRepository directives, ConsoleData.Operations operations, Path uploads) {
        ConsoleData data = new ConsoleData(database, clock, config.delivery().restrictAckWindow(),
                config.delivery().restoreAckWindow(), access.accessLog(), operations);
        return new Console(access.officials(), access.sessions(), certificates, data,
                new ConsoleAppeals(appeals.register(), appeals.monitoring(), appeals.attachments(), intake,
                        fanOut::addressees, access.accessLog(), data),
                new ConsoleDirectives(directives, database.repository(TargetRepository.class), fanOut.deliveries(),
                        operations, clock, config.delivery().restrictAckWindow(), config.delivery().restoreAckWindow()),
                new ConsoleRecipients(fanOut.recipients(), new RecipientChanges(fanOut.recipients(), access.accessLog())),
                new OperatorPage(database, fanOut.receipts(), clock, config.delivery().restrictAckWindow(),
                        config.delivery().restoreAckWindow()),
                uploads);
    }

    /** The console's view of the nodes (by their verified receipts) and of what readiness raises. */
    private static ConsoleData.Operations consoleOperations(Blocklist blocklist, Readiness readiness) {
        return new ConsoleData.Operations() {
            @Override
            public List<ConsoleData.NodePicture> nodes() throws java.sql.SQLException {
                long published = blocklist.nodes().publishedSerial();
                return blocklist.nodes().all().stream().map(node -> new ConsoleData.NodePicture(node.status().id(),
                        node.flag().name(), node.enforcedSerial(), node.behind(published).orElse(published))).toList();
            }

            @Override
            public Map<String, String> alarms() {
                Map<String, String> all = new LinkedHashMap<>();
                Map<String, String> reasons = readiness.reasons();
                readiness.check().forEach((name, state) -> {
                    if (state != Readiness.State.UP) {
                        all.put(name, reasons.getOrDefault(name, "not ready"));
                    }
                });
                all.putAll(readiness.alarms());
                return all;
            }
        };
    }

    /**
     * Ready when the event loop turns, the heap has room, the database and cluster answer, the
     * cluster holds a fresh head this gateway signed, the node enforces a verified list, CRLs are fresh.
     */
    private static Map<String, BooleanSupplier> checks(ProcessHealth process, Database database, ClusterMember cluster,
                                                       Blocklist blocklist, CrlWatch crlWatch) {
        Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("event-loop", process::eventLoopResponsive);
        checks.put("heap", process::heapBelowLimit);
        checks.put("database", database::isReachable);
        checks.put("cluster", cluster::isUp);
        checks.put("publishing", blocklist.nodes()::publishing);
        blocklist.filterNode().ifPresent(node -> checks.put("filter-node",
                () -> node.replica().current().isPresent() && node.replica().state() == NodeStatus.State.VERIFIED));
        checks.put("crl", crlWatch);
        return checks;
    }

    private static ClientCertificates clientCertificates(GatewayConfig config) {
        try {
            return config.http().tls().map(tls -> ClientCertificates.load(tls.authorityCa(), tls.operatorCa()))
                    .orElseGet(ClientCertificates::notRequired);
        } catch (IllegalArgumentException e) {
            throw new StartupException("cannot start: client certificates: " + e.getMessage(), e);
        }
    }

    /**
     * Where files attached through the status page wait while their request is read: private to the
     * gateway's user, and emptied at start of whatever a crash left.
     */
    private static Path uploads(GatewayConfig config) {
        Path uploads = config.dataDir().resolve("uploads");
        try {
            PrivateFiles.privateDirectory(uploads);
            try (Stream<Path> left = Files.list(uploads)) {
                for (Path file : left.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            return uploads;
        } catch (IOException | UncheckedIOException e) {
            throw new StartupException("cannot prepare the uploads directory " + uploads + ": " + e, e);
        }
    }

    private static void createDataDirectory(GatewayConfig config) {
        try {
            PrivateFiles.privateDirectory(config.dataDir());
        } catch (UncheckedIOException e) {
            throw new StartupException("cannot create data directory " + config.dataDir() + ": " + e.getCause(), e);
        }
    }

    /**
     * What the gateway runs with beyond its configuration: in embedded mode, a demo PKI when no
     * trust anchor is configured and an admin token kept in the data directory when none is given.
     */
    public record Embedded(TrustFiles trust, Optional<DemoPki> demoPki, Optional<String> adminToken, boolean generatedToken) {

        static Embedded of(GatewayConfig config) {
            boolean embedded = config.database().isEmbedded();
            Optional<DemoPki> demo = embedded && config.trust().isEmpty()
                    ? Optional.of(EmbeddedDefaults.demoPki(config.dataDir())) : Optional.empty();
            TrustFiles trust = demo.map(DemoPki::trust).orElse(config.trust());
            if (trust.trustAnchors().isEmpty()) {
                LOG.warn("No trust anchor is configured (--trust-anchors): every directive will be refused");
            }
            if (config.adminToken().isPresent() || !embedded) {
                if (config.adminToken().isEmpty()) {
                    LOG.warn("No admin token is configured (--admin-token): management calls are refused");
                }
                return new Embedded(trust, demo, config.adminToken(), false);
            }
            return new Embedded(trust, demo, Optional.of(EmbeddedDefaults.adminToken(config.dataDir())), true);
        }
    }

    private static RevocationLists revocationLists(TrustFiles files) {
        try {
            return new RevocationLists(files.crls());
        } catch (IllegalArgumentException e) {
            throw new StartupException("cannot start: " + e.getMessage(), e);
        }
    }

    private static TrustSettings trust(TrustFiles files) {
        try {
            return TrustSettings.load(files.trustAnchors(), files.authorisedSigners(), files.crls(), files.scopedSigners());
        } catch (IllegalArgumentException e) {
            throw new StartupException("cannot start: " + e.getMessage(), e);
        }
    }

    /** A registry with the JVM's and the process's figures bound: the gateway's, and a filtering node's. */
    public static PrometheusMeterRegistry newMetrics() {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        return metrics;
    }

    private static void awaitStart(Future<String> deployment, GatewayConfig config) {
        try {
            deployment.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof BindException
                    ? "HTTP port " + config.httpPort() + " on " + config.httpHost() + " is in use"
                    : "HTTP server failed: " + cause.getMessage();
            throw new StartupException("cannot start: " + why, cause);
        } catch (TimeoutException e) {
            throw new StartupException("cannot start: HTTP server did not start within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while starting", e);
        }
    }

    public GatewayConfig config() {
        return config;
    }

    /** The in-process filtering node, unless disabled. */
    /** The zone-transfer service of the policy zone, unless turned off. */
    public Optional<ZoneTransfers> zoneTransfers() {
        return zoneTransfers;
    }

    public Optional<FilterNode> filterNode() {
        return filterNode;
    }

    /** What the embedded mode made for itself, if anything. */
    public Embedded embedded() {
        return embedded;
    }

    /** The port the HTTP API listens on. */
    public int httpPort() {
        return api.actualPort();
    }

    public Database database() {
        return database;
    }

    public ClusterMember cluster() {
        return cluster;
    }

    public ApiVerticle api() {
        return api;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Stops gracefully (see the class comment); safe to call more than once and from a shutdown hook. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        LOG.info("Stopping: draining HTTP for at most {} s", config.shutdownGrace().toSeconds());
        readiness.drain();
        try {
            await(api.shutdown(config.shutdownGrace()), config.shutdownGrace().plusSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("HTTP server did not stop cleanly: {}", e.getMessage());
        }
        // Started: metrics, database, cluster, publisher, filter node, Vert.x; stopped the other way round.
        stopAll(parts);
        LOG.info("Gateway stopped");
        closed.countDown();
    }

    private static void stopAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                LOG.warn("Error while stopping: {}", e.toString());
            }
        }
    }

    private static void await(Future<?> future, Duration timeout) {
        try {
            future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
