package kz.qaqpa.gateway.cli;

import java.nio.file.Path;
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
import picocli.CommandLine.Spec;

/**
 * {@code qaqpa filter-node}: a filtering node in its own process. It answers DNS at once — REFUSED
 * until it holds a consistent blocklist — connects to the cluster as a client, and follows it.
 * Settings are read like the gateway's (options, QAQPA_* variables), from the same keys.
 */
@Command(name = "filter-node", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a DNS filtering node that follows the cluster's blocklist.")
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

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> values = MatchedSettings.of(spec, List.of("--help", "--version", "--node-id", "--gateway-url", "--token-file"));
        GatewayConfig config = ConfigResolver.resolve(new CommandLineSettings(Optional.empty(), values), System.getenv());

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
        FilterNode node;
        try {
            node = FilterNode.standalone(config.cluster(), id, config.filterNode().dns(config.feed().rpzOrigin()), gateway, key,
                    feed);
        } catch (RuntimeException e) {
            throw new StartupException("cannot start the filtering node on " + config.filterNode().dnsHost() + ":"
                    + config.filterNode().dnsPort() + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "qaqpa-filter-node-shutdown"));
        stopped.await();
        return 0;
    }
}
