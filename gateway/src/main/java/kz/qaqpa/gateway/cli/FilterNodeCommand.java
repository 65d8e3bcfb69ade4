package kz.qaqpa.gateway.cli;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.blocklist.model.SnapshotSource;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import kz.qaqpa.blocklist.node.FilterNode;
import kz.qaqpa.blocklist.traffic.TrafficFilter;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.config.CommandLineSettings;
import kz.qaqpa.gateway.config.ConfigResolver;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.embedded.EmbeddedDefaults;
import kz.qaqpa.pull.FeedSnapshots;
import kz.qaqpa.pull.PullCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qaqpa filter-node}: a filtering node in its own process. It answers DNS at once — REFUSED
 * until it holds a consistent blocklist — connects to the cluster as a client, and follows it.
 * Settings are read like the gateway's (options, QAQPA_* variables), from the same keys.
 */
@Command(name = "filter-node", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a filtering node that follows the cluster's blocklist: DNS, and subscribers' traffic with --traffic-listen.")
final class FilterNodeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(FilterNodeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--node-id", paramLabel = "ID", description = "This node's id in /api/v1/nodes (default: node- and the start of its key's fingerprint).")
    String nodeId;

    @Option(names = "--gateway-url", paramLabel = "URL", description = "The gateway's API (its balancer), where the "
            + "node takes the list over HTTP while the cluster's does not verify or has stopped; needs an operator's "
            + "token (QAQPA_TOKEN or --token-file). Without it the node waits for the cluster.")
    String gatewayUrl;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the token for --gateway-url (or QAQPA_TOKEN).")
    Path tokenFile;

    @Option(names = "--traffic-listen", paramLabel = "MODE@HOST:PORT", description = "Filter subscribers' TCP traffic "
            + "taken here: proxy@HOST:PORT behind a balancer sending the PROXY protocol (v1 or v2), tproxy@HOST:PORT "
            + "from Linux transparent proxying. Repeatable.")
    List<String> trafficListeners = List.of();

    @Option(names = "--traffic-refusal", paramLabel = "reset|close", defaultValue = "reset",
            description = "How a connection to a restricted address is refused (default: ${DEFAULT-VALUE}).")
    String trafficRefusal;

    @Option(names = "--tls-alert", paramLabel = "unrecognized_name|access_denied", defaultValue = "unrecognized_name",
            description = "The TLS alert a restricted server name gets (default: ${DEFAULT-VALUE}).")
    String tlsAlert;

    @Option(names = "--url-hosts-over-tls", paramLabel = "pass|refuse", defaultValue = "pass", description = "A TLS "
            + "connection to a host that only has restricted URLs, whose paths TLS hides (default: ${DEFAULT-VALUE}).")
    String urlHostsOverTls;

    @Option(names = "--traffic-without-list", paramLabel = "refuse|pass", defaultValue = "refuse", description = "Before "
            + "the node holds a verified list: refuse every connection, or pass them unjudged and count the alarm "
            + "qaqpa_traffic_passed_unjudged_total (default: ${DEFAULT-VALUE}).")
    String withoutList;

    @Option(names = "--traffic-max-connections", paramLabel = "N", defaultValue = "100000", description = "Subscribers' "
            + "connections open at once; one more is reset (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", description = "Serve the node's metrics in the "
            + "Prometheus text format at /metrics here, to a scraper sending the token of --metrics-token-file as a bearer token.")
    String metricsListen;

    @Option(names = "--metrics-token-file", paramLabel = "FILE", description = "File holding the token /metrics asks for "
            + "(or QAQPA_METRICS_TOKEN).")
    Path metricsTokenFile;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> values = MatchedSettings.of(spec, List.of("--help", "--version", "--node-id", "--gateway-url",
                "--token-file", "--traffic-listen", "--traffic-refusal", "--tls-alert", "--url-hosts-over-tls",
                "--traffic-without-list", "--traffic-max-connections", "--metrics-listen", "--metrics-token-file"));
        GatewayConfig config = ConfigResolver.resolve(new CommandLineSettings(Optional.empty(), values), System.getenv());

        // Options are checked before anything is made in the data directory.
        Optional<TrafficFilter.Settings> traffic = trafficSettings(config.appeals().publicUrl()
                .or(() -> Optional.ofNullable(gatewayUrl)));
        Optional<String> metricsToken = Optional.ofNullable(metricsListen)
                .map(address -> PullCommand.token(spec, metricsTokenFile, "QAQPA_METRICS_TOKEN", "--metrics-token-file"));
        // The one certificate whose signed tree heads the node adopts: configured, never learned from the cluster.
        X509Certificate gateway = PullCommand.certificate(spec,
                config.delivery().gatewayCertificate().orElse(EmbeddedDefaults.gatewayCertificate(config.dataDir())));
        // Its own key, made on first start and kept: its receipts are what the gateway believes of it.
        ReceiptKey key;
        String id;
        try {
            key = ReceiptKey.loadOrCreate(config.dataDir().resolve("nodes"), nodeId != null ? nodeId : "node");
            id = nodeId != null ? nodeId : "node-" + Sha256.hex(key.publicKey().getEncoded()).substring(0, 8);
        } catch (RuntimeException e) {
            throw new StartupException("cannot start the filtering node: " + e.getMessage(), e);
        }
        LOG.info("Filtering node {} signs its receipts with the key in {}; the authority registers it once: "
                + "POST /api/v1/nodes/{}/key with that file as the body", id, key.publicKeyFile().toAbsolutePath(), id);
        // The gateway's feed, when the cluster's list does not verify: checked like the cluster's, in a directory of its own.
        Optional<SnapshotSource> feed = Optional.ofNullable(gatewayUrl).map(url -> new FeedSnapshots(
                PullCommand.baseUrl(spec, "--gateway-url", url), PullCommand.token(spec, tokenFile), gateway,
                config.dataDir().resolve("nodes").resolve(id + "-feed")));
        PrometheusMeterRegistry metrics = Gateway.newMetrics();
        Optional<HttpServer> metricsServer = metricsToken.map(token -> serveMetrics(metricsListen, token, metrics));
        FilterNode node;
        try {
            node = FilterNode.standalone(config.cluster(), id, config.filterNode().dns(config.feed().rpzOrigin()), traffic,
                    metrics, gateway, key, feed);
        } catch (RuntimeException e) {
            metricsServer.ifPresent(server -> server.stop(0));
            throw new StartupException("cannot start the filtering node on " + config.filterNode().dnsHost() + ":"
                    + config.filterNode().dnsPort() + (trafficListeners.isEmpty() ? "" : " and " + trafficListeners)
                    + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            metricsServer.ifPresent(server -> server.stop(0));
            stopped.countDown();
        }, "qaqpa-filter-node-shutdown"));
        stopped.await();
        return 0;
    }

    /** The traffic filter's settings from the options, when it has listeners; a bad value is a usage error. */
    private Optional<TrafficFilter.Settings> trafficSettings(Optional<String> publicUrl) {
        if (trafficListeners.isEmpty()) {
            return Optional.empty();
        }
        String option = "--traffic-listen";
        try {
            List<TrafficFilter.Listener> listeners = trafficListeners.stream().map(TrafficFilter.Listener::parse).toList();
            option = "--traffic-refusal";
            TrafficFilter.Settings settings = TrafficFilter.Settings.of(listeners, publicUrl).withRefusal(trafficRefusal);
            option = "--tls-alert";
            settings = settings.withAlert(tlsAlert);
            option = "--url-hosts-over-tls";
            settings = settings.withUrlHosts(urlHostsOverTls);
            option = "--traffic-without-list";
            settings = settings.withoutList(withoutList);
            option = "--traffic-max-connections";
            return Optional.of(settings.withMaxConnections(maxConnections));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** {@code GET /metrics} in the Prometheus text format, on its own small server, to the holder of the token only. */
    private HttpServer serveMetrics(String address, String token, PrometheusMeterRegistry metrics) {
        int colon = address.lastIndexOf(':');
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), 16);
            server.createContext("/metrics", exchange -> {
                String given = exchange.getRequestHeaders().getFirst("Authorization");
                if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    exchange.sendResponseHeaders(401, -1);
                    exchange.close();
                    return;
                }
                byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException | RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--metrics-listen: cannot serve on '" + address + "': " + e.getMessage());
        }
    }
}
