package kz.qaqpa.gateway.config;

import java.util.List;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.directives.store.DatabaseSettings;

/**
 * Everything the gateway is told, resolved from built-in defaults, a YAML file, environment
 * variables and command-line options (later ones win; see {@link ConfigResolver}). The defaults make
 * the embedded mode work with no file at all.
 *
 * @param httpHost      interface the HTTP API listens on
 * @param httpPort      HTTP port; 0 picks any free port
 * @param dataDir       where the embedded database and generated keys live
 * @param database      the relational database: PostgreSQL when a URL is given, else H2 in dataDir
 * @param cluster       how this process joins the Hazelcast cluster
 * @param adminToken    bearer token of the authorised body's management calls, when set
 * @param shutdownGrace how long in-flight requests may take to finish after SIGTERM
 * @param trust         trust anchors, authorised signers and CRLs for directive signatures; when no
 *                      trust anchor is given the embedded mode makes a demo PKI in dataDir
 * @param intake        size limits of a submitted directive
 * @param filterNode    the in-process DNS filtering node
 * @param retention     how much of the blocklist change log is kept
 * @param delivery      the gateway's own key and how directives are delivered and acknowledged
 * @param feed          how operators pull the list: the policy zone and its transfers
 * @param appeals       restoration appeals: the working-day calendar
 * @param rateLimits    how often one client may call the endpoints open to everyone
 * @param http          HTTPS, mutual TLS by role, and how long a request head may take to arrive
 */
public record GatewayConfig(
        String httpHost,
        int httpPort,
        Path dataDir,
        DatabaseSettings database,
        ClusterSettings cluster,
        Optional<String> adminToken,
        Duration shutdownGrace,
        TrustFiles trust,
        IntakeLimits intake,
        FilterNodeSettings filterNode,
        Retention retention,
        DeliverySettings delivery,
        FeedSettings feed,
        AppealSettings appeals,
        SuspensionSettings suspensions,
        RateLimits rateLimits,
        HttpSecurity http) {

    public static final Setting<String> HTTP_HOST = Setting.of("http-host", "HOST", Parse::nonBlank, "0.0.0.0",
            "Interface for HTTP.");
    public static final Setting<Integer> HTTP_PORT = Setting.of("http-port", "PORT", Parse::port, "8080",
            "HTTP port; 0 = any free port.");
    public static final Setting<Path> DATA_DIR = Setting.withDefault("data-dir", "DIR", Parse::path, Path.of("data"),
            "Data directory (default ./data).");
    public static final Setting<String> DB_URL = Setting.optional("db-url", "URL", Parse::postgresUrl,
            "PostgreSQL JDBC URL; without it an H2 database in the data directory is used.");
    public static final Setting<String> DB_USER = Setting.withDefault("db-user", "USER", text -> text, "", "PostgreSQL user.");
    public static final Setting<String> DB_PASSWORD = Setting.secret("db-password");
    public static final Setting<Path> DB_PASSWORD_FILE = Setting.optional("db-password-file", "FILE", Parse::readableFile,
            "File holding the PostgreSQL password (or QAQPA_DB_PASSWORD; never on the command line).");
    public static final Setting<String> CLUSTER_NAME = Setting.of("cluster-name", "NAME", Parse::nonBlank,
            ClusterSettings.DEFAULT_NAME, "Hazelcast cluster name.").alsoForFilterNode();
    public static final Setting<String> CLUSTER_ADDRESS = Setting.of("cluster-address", "ADDRESS", Parse::nonBlank, "127.0.0.1",
            "Interface the cluster member binds to and announces.");
    public static final Setting<Integer> HAZELCAST_PORT = Setting.of("hazelcast-port", "PORT", Parse::port,
            String.valueOf(ClusterSettings.DEFAULT_PORT), "Cluster member port.");
    public static final Setting<List<String>> CLUSTER_MEMBERS = Setting.withDefault("cluster-members", "HOST[:PORT],...",
            Parse::members, List.<String>of(), "Members to join or connect to (gateway default: alone on the cluster address).")
            .alsoForFilterNode();
    public static final Setting<String> ADMIN_TOKEN = Setting.secret("admin-token");
    public static final Setting<Path> ADMIN_TOKEN_FILE = Setting.optional("admin-token-file", "FILE", Parse::readableFile,
            "File holding the bearer token of the authority's management calls (or QAQPA_ADMIN_TOKEN).");
    public static final Setting<Duration> SHUTDOWN_GRACE = Setting.of("shutdown-grace", "DURATION", Parse::duration, "20s",
            "Time in-flight requests get after SIGTERM, e.g. 20s.");

    /** The configuration with nothing set: what {@code qaqpa gateway} runs on a fresh machine. */
    public static GatewayConfig defaults() {
        return ConfigResolver.resolve(CommandLineSettings.none(), Map.of());
    }

    /**
     * A gateway on loopback with free ports (HTTP, zone transfers), no admin token and no filtering
     * node, otherwise on defaults: the start tests and benchmarks change with the withers below.
     */
    public static GatewayConfig onLoopback(Path dataDir, DatabaseSettings database, ClusterSettings cluster) {
        return new GatewayConfig("127.0.0.1", 0, dataDir, database, cluster, Optional.empty(), SHUTDOWN_GRACE.defaultValue(),
                TrustFiles.none(), IntakeLimits.defaults(), FilterNodeSettings.disabled(), Retention.defaults(),
                DeliverySettings.defaults(), FeedSettings.onAnyPort(), AppealSettings.defaults(), SuspensionSettings.defaults(),
                RateLimits.defaults(), HttpSecurity.defaults());
    }

    public GatewayConfig withAdminToken(Optional<String> token) {
        return new GatewayConfig(httpHost, httpPort, dataDir, database, cluster, token, shutdownGrace, trust, intake,
                filterNode, retention, delivery, feed, appeals, suspensions, rateLimits, http);
    }

    public GatewayConfig withShutdownGrace(Duration grace) {
        return new GatewayConfig(httpHost, httpPort, dataDir, database, cluster, adminToken, grace, trust, intake,
                filterNode, retention, delivery, feed, appeals, suspensions, rateLimits, http);
    }

    public GatewayConfig withTrust(TrustFiles newTrust) {
        return new GatewayConfig(httpHost, httpPort, dataDir, database, cluster, adminToken, shutdownGrace, newTrust, intake,
                filterNode, retention, delivery, feed, appeals, suspensions, rateLimits, http);
    }

    public GatewayConfig withIntake(IntakeLimits limits) {
        return new GatewayConfig(httpHost, httpPort, dataDir, database, cluster, adminToken, shutdownGrace, trust, limits,
                filterNode, retention, delivery, feed, appeals, suspensions, rateLimits, http);
    }

    public GatewayConfig withFilterNode(FilterNodeSettings node) {
        return new GatewayConfig(httpHost, httpPort, dataDir, database, cluster, adminToken, shutdownGrace, trust, intake,
                node, retention, delivery, feed, appeals, suspensions, rateLimits, http);
    }

    public GatewayConfig withDelivery(DeliverySettings newDelivery) {
        return new GatewayConfig(httpHost, httpPort, dataDir, database, cluster, adminToken, shutdownGrace, trust, intake,
                filterNode, retention, newDelivery, feed, appeals, suspensions, rateLimits, http);
    }

    public GatewayConfig withFeed(FeedSettings newFeed) {
        return new GatewayConfig(httpHost, httpPort, dataDir, database, cluster, adminToken, shutdownGrace, trust, intake,
                filterNode, retention, delivery, newFeed, appeals, suspensions, rateLimits, http);
    }

    public GatewayConfig withAppeals(AppealSettings newAppeals) {
        return new GatewayConfig(httpHost, httpPort, dataDir, database, cluster, adminToken, shutdownGrace, trust, intake,
                filterNode, retention, delivery, feed, newAppeals, suspensions, rateLimits, http);
    }

    public GatewayConfig withSuspensions(SuspensionSettings newSuspensions) {
        return new GatewayConfig(httpHost, httpPort, dataDir, database, cluster, adminToken, shutdownGrace, trust, intake,
                filterNode, retention, delivery, feed, appeals, newSuspensions, rateLimits, http);
    }

    public GatewayConfig withRateLimits(RateLimits limits) {
        return new GatewayConfig(httpHost, httpPort, dataDir, database, cluster, adminToken, shutdownGrace, trust, intake,
                filterNode, retention, delivery, feed, appeals, suspensions, limits, http);
    }

    public GatewayConfig withHttp(HttpSecurity security) {
        return new GatewayConfig(httpHost, httpPort, dataDir, database, cluster, adminToken, shutdownGrace, trust, intake,
                filterNode, retention, delivery, feed, appeals, suspensions, rateLimits, security);
    }
}
