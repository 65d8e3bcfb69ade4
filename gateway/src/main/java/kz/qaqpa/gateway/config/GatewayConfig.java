package kz.qaqpa.gateway.config;

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
        RateLimits rateLimits,
        HttpSecurity http) {

    /** The configuration with nothing set: what {@code qaqpa gateway} runs on a fresh machine. */
    public static GatewayConfig defaults() {
        return ConfigResolver.resolve(CommandLineSettings.none(), Map.of());
    }
}
