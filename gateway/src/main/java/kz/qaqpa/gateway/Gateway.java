package kz.qaqpa.gateway;

import io.micrometer.core.instrument.Gauge;
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
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import kz.qaqpa.blocklist.cluster.ClusterMember;
import kz.qaqpa.blocklist.cluster.ClusterUnavailableException;
import kz.qaqpa.blocklist.replica.BlocklistPublisher;
import kz.qaqpa.adapters.outbox.DeliveryStore;
import kz.qaqpa.adapters.outbox.Outbox;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.SecretBox;
import kz.qaqpa.directives.appeal.AppealLink;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import kz.qaqpa.directives.appeal.AppealNotices;
import kz.qaqpa.directives.appeal.AppealRegister;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.directive.TargetRepository;
import kz.qaqpa.directives.document.DirectiveParser;
import kz.qaqpa.directives.intake.AcceptanceStep;
import kz.qaqpa.directives.intake.DirectiveIntake;
import kz.qaqpa.directives.signature.DocumentSigner;
import kz.qaqpa.directives.signature.RevocationLists;
import kz.qaqpa.directives.signature.SignatureVerifier;
import kz.qaqpa.directives.signature.TrustSettings;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseUnavailableException;
import kz.qaqpa.directives.store.PrivateFiles;
import kz.qaqpa.gateway.appeals.AppealHandlers;
import kz.qaqpa.gateway.appeals.AppealPages;
import kz.qaqpa.gateway.appeals.AppealProbes;
import kz.qaqpa.gateway.appeals.LinkProbe;
import kz.qaqpa.gateway.appeals.NoticeSender;
import kz.qaqpa.gateway.appeals.CalendarHandlers;
import kz.qaqpa.gateway.audit.AuditHandlers;
import kz.qaqpa.gateway.blocklist.ChangeLogPruner;
import kz.qaqpa.gateway.blocklist.DatabaseChangeSource;
import kz.qaqpa.gateway.blocklist.FilterNode;
import kz.qaqpa.gateway.blocklist.NodeHandlers;
import kz.qaqpa.gateway.blocklist.Nodes;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.TrustFiles;
import kz.qaqpa.gateway.directives.DirectiveHandlers;
import kz.qaqpa.gateway.embedded.EmbeddedDefaults;
import kz.qaqpa.gateway.fanout.Callers;
import kz.qaqpa.gateway.fanout.DeliveryHandlers;
import kz.qaqpa.gateway.fanout.FanOut;
import kz.qaqpa.gateway.fanout.FanOutHandlers;
import kz.qaqpa.gateway.fanout.RecipientHandlers;
import kz.qaqpa.gateway.fanout.RecipientsFile;
import kz.qaqpa.gateway.embedded.EmbeddedDefaults.DemoPki;
import kz.qaqpa.gateway.http.AdminAuth;
import kz.qaqpa.gateway.http.ClientCertificates;
import kz.qaqpa.gateway.http.ApiVerticle;
import kz.qaqpa.gateway.ops.CrlWatch;
import kz.qaqpa.gateway.ops.HealthHandlers;
import kz.qaqpa.gateway.ops.ProcessHealth;
import kz.qaqpa.gateway.pull.BlocklistHandlers;
import kz.qaqpa.gateway.pull.SnapshotStore;
import kz.qaqpa.gateway.pull.ZoneTransfers;
import kz.qaqpa.gateway.ops.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: database, cluster member, blocklist publisher and change-log pruner, the
 * in-process filtering node (unless disabled), and the HTTP API — started in that order and stopped
 * in the reverse one.
 *
 * <p>Stopping is graceful: the gateway first reports not ready, stops accepting connections and
 * gives in-flight requests the configured grace, then stops the filtering node and the publisher,
 * leaves the cluster (its partitions are handed over), and closes the database pool.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** How often the publisher looks for committed changes to put into the cluster. */
    private static final Duration PUBLISH_INTERVAL = Duration.ofMillis(20);

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
            PrometheusMeterRegistry metrics = newMetrics();
            started.push(metrics::close);

            Database database = Database.open(config.database(), metrics);
            started.push(database);

            ClusterMember cluster = ClusterMember.join(config.cluster());
            started.push(cluster);
            cluster.bindMetrics(metrics);
            started.push(new BlocklistPublisher(cluster.hazelcast(), new DatabaseChangeSource(database.dataSource()))
                    .start(PUBLISH_INTERVAL));
            started.push(new ChangeLogPruner(database.dataSource(), config.retention().keepChanges(),
                    config.retention().keepFor(), Clock.systemUTC()));

            ProcessHealth process = ProcessHealth.defaults(metrics);
            started.push(process);
            Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
            checks.put("event-loop", process::eventLoopResponsive);
            checks.put("heap", process::heapBelowLimit);
            checks.put("database", database::isReachable);
            checks.put("cluster", cluster::isUp);
            Optional<FilterNode> filterNode = Optional.empty();
            if (config.filterNode().enabled()) {
                FilterNode node = FilterNode.start(config.filterNode(), config.feed().rpzOrigin(), cluster);
                started.push(node);
                filterNode = Optional.of(node);
                checks.put("filter-node", () -> node.replica().current().isPresent());
            }
            Embedded embedded = Embedded.of(config);
            RevocationLists crls = revocationLists(embedded.trust());
            CrlWatch crlWatch = new CrlWatch(crls, embedded.trust().crlGrace(), Clock.systemUTC()).start();
            started.push(crlWatch);
            checks.put("crl", crlWatch);
            Readiness readiness = new Readiness(checks);

            Clock clock = Clock.systemUTC();
            Vertx vertx = Vertx.vertx();
            started.push(() -> await(vertx.close(), Duration.ofSeconds(10)));
            WorkingCalendar calendar = calendar(config);

            DirectiveIntake intake = new DirectiveIntake(database,
                    new SignatureVerifier(trust(embedded.trust()), crls, clock),
                    new DirectiveParser(config.intake().maxTargets(), clock), clock,
                    AcceptanceStep.all(new Outbox(clock), new AppealLink()));
            AtomicReference<ApiVerticle> listening = new AtomicReference<>(); // the port, for mailed links, once listening
            AppealRegister appealRegister = new AppealRegister(database, calendar, clock, () -> config.appeals().publicUrl()
                    .orElseGet(() -> "http://localhost:" + listening.get().actualPort()));
            AppealMonitoring appealMonitoring = new AppealMonitoring(database, appealRegister, clock);
            AppealProbes appealProbes = new AppealProbes(appealMonitoring, new LinkProbe(config.appeals().probes(), clock),
                    config.appeals().probes()).start(Duration.ofHours(1));
            started.push(appealProbes);
            AppealNotices appealNotices = new AppealNotices(database, calendar, clock);
            if (config.appeals().mail().isPresent()) {
                started.push(new NoticeSender(appealNotices, config.appeals().mail().get(), config.appeals().authorityEmail(),
                        config.delivery().timeout()).start(Duration.ofSeconds(1)));
            } else {
                LOG.warn("No smtp-host: appeal notices are queued and not sent");
            }
            Gauge.builder("qaqpa_appeals_overdue", appealMonitoring::countOverdue)
                    .description("Appeals undecided after their deadline").register(metrics);
            SecretBox secrets = secrets(config);
            RecipientStore recipients = recipients(database, clock, secrets);
            config.delivery().recipientsFile().ifPresent(file -> RecipientsFile.apply(file, recipients));
            DeliveryStore deliveries = new DeliveryStore(database.dataSource(), secrets);
            DocumentSigner gatewaySigner = FanOut.gatewaySigner(config);
            started.push(FanOut.dispatcher(config, gatewaySigner, vertx, deliveries, clock, metrics));
            SnapshotStore snapshots = new SnapshotStore(database.dataSource(), config.dataDir().resolve("snapshots"),
                    config.feed().rpzOrigin());
            BlocklistHandlers blocklist = new BlocklistHandlers(snapshots, database.dataSource(), gatewaySigner,
                    scratch(config));
            Optional<ZoneTransfers> zoneTransfers = Optional.empty();
            if (config.feed().xfrPort() >= 0) {
                zoneTransfers = Optional.of(startZoneTransfers(config, snapshots, database));
                started.push(zoneTransfers.get());
            }

            Nodes nodes = new Nodes(cluster.hazelcast());
            DirectiveRepository directiveRepository = database.repository(DirectiveRepository.class);
            DirectiveHandlers directives = new DirectiveHandlers(intake,
                    directiveRepository, database.repository(TargetRepository.class), nodes);
            ClientCertificates certificates = clientCertificates(config);
            AdminAuth admin = new AdminAuth(embedded.adminToken(), certificates);
            FanOutHandlers fanOut = new FanOutHandlers(new Callers(admin, recipients, certificates),
                    new RecipientHandlers(recipients), new DeliveryHandlers(deliveries, directiveRepository, clock,
                    config.delivery().restrictAckWindow(), config.delivery().restoreAckWindow(), appealMonitoring));

            ApiVerticle api = new ApiVerticle(config.httpHost(), config.httpPort(), new HealthHandlers(readiness),
                    directives, new NodeHandlers(nodes), fanOut, blocklist, new CalendarHandlers(calendar),
                    new AppealHandlers(appealRegister, appealMonitoring, appealProbes, directiveRepository, admin, clock),
                    new AppealPages(appealRegister, appealMonitoring, appealProbes, directiveRepository),
                    new AuditHandlers(database.dataSource()), admin, config.intake().maxDirectiveBytes(), config.rateLimits(), config.http(), metrics);
            listening.set(api);
            awaitStart(vertx.deployVerticle(api), config);
            process.watch(api.eventLoop());
            LOG.info("HTTP listening on port {}", api.actualPort());
            return new Gateway(config, embedded, database, cluster, filterNode, zoneTransfers, started, readiness, vertx, api);
        } catch (DatabaseUnavailableException | ClusterUnavailableException | StartupException e) {
            stopAll(started);
            throw e instanceof StartupException startup ? startup : new StartupException(e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            stopAll(started);
            throw e;
        }
    }

    private static SecretBox secrets(GatewayConfig config) {
        try {
            return SecretBox.load(config.delivery().secretsKey(config.dataDir()));
        } catch (RuntimeException e) {
            throw new StartupException("cannot start: secrets-key-file: " + e.getMessage(), e);
        }
    }

    private static RecipientStore recipients(Database database, Clock clock, SecretBox secrets) {
        try {
            return new RecipientStore(database.dataSource(), clock, secrets);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot read the recipients: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new StartupException("cannot start: " + e.getMessage(), e);
        }
    }

    private static ClientCertificates clientCertificates(GatewayConfig config) {
        try {
            return config.http().tls().map(tls -> ClientCertificates.load(tls.authorityCa(), tls.operatorCa()))
                    .orElseGet(ClientCertificates::notRequired);
        } catch (IllegalArgumentException e) {
            throw new StartupException("cannot start: client certificates: " + e.getMessage(), e);
        }
    }

    private static WorkingCalendar calendar(GatewayConfig config) {
        try {
            return config.appeals().calendarFile().map(WorkingCalendar::load).orElseGet(WorkingCalendar::shipped);
        } catch (IllegalArgumentException e) {
            throw new StartupException("cannot start: calendar-file: " + e.getMessage(), e);
        }
    }

    private static ZoneTransfers startZoneTransfers(GatewayConfig config, SnapshotStore snapshots, Database database) {
        try {
            return ZoneTransfers.start(config.feed(), snapshots, database.dataSource());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while starting zone transfers", e);
        } catch (IllegalArgumentException e) {
            throw new StartupException("cannot start zone transfers: xfr-tsig-keys: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StartupException("cannot start zone transfers on " + config.feed().xfrHost() + ":"
                    + config.feed().xfrPort() + " (xfr-port; -1 turns them off): " + e.getMessage(), e);
        }
    }

    /** A directory for files made for one answer (change pages), emptied at every start. */
    private static Path scratch(GatewayConfig config) {
        Path dir = config.dataDir().resolve("tmp");
        try {
            Files.createDirectories(dir);
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new StartupException("cannot use " + dir + ": " + e, e);
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
            return TrustSettings.load(files.trustAnchors(), files.authorisedSigners(), files.crls());
        } catch (IllegalArgumentException e) {
            throw new StartupException("cannot start: " + e.getMessage(), e);
        }
    }

    private static PrometheusMeterRegistry newMetrics() {
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
