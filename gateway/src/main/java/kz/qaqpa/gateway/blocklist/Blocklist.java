package kz.qaqpa.gateway.blocklist;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.Optional;
import kz.qaqpa.blocklist.cluster.ClusterMember;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import kz.qaqpa.blocklist.node.FilterNode;
import kz.qaqpa.blocklist.replica.BlocklistPublisher;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.log.TreeHeads;

/**
 * The replicated blocklist, started on the gateway's cluster member: the publisher of the change
 * log to the cluster, the pruner of the log, and the in-process filtering node unless
 * {@code --no-filter-node}.
 *
 * @param nodes      what the cluster's filtering nodes report
 * @param filterNode the in-process filtering node, when it runs
 */
public record Blocklist(Nodes nodes, Optional<FilterNode> filterNode) {

    private static final Duration PUBLISH_INTERVAL = Duration.ofMillis(20);
    /** How long start-up waits for the in-process node's first consistent blocklist before going on without it. */
    private static final Duration FIRST_NODE_STATE_WAIT = Duration.ofSeconds(10);

    /**
     * Starts publishing the changes with the signed {@code heads} over them (and the node, which
     * adopts what {@code certificate} signed); what has to be stopped is pushed on {@code started}.
     */
    public static Blocklist start(GatewayConfig config, Database database, ClusterMember cluster, TreeHeads heads,
                                  X509Certificate certificate, Clock clock, MeterRegistry metrics,
                                  Deque<AutoCloseable> started) {
        started.push(new BlocklistPublisher(cluster.hazelcast(), new DatabaseChangeSource(database.dataSource(), heads))
                .start(PUBLISH_INTERVAL));
        started.push(new ChangeLogPruner(database.dataSource(), config.retention().keepChanges(),
                config.retention().keepFor(), clock));
        Nodes nodes = new Nodes(cluster.hazelcast(), database, heads, certificate, clock);
        Optional<FilterNode> node = Optional.empty();
        if (config.filterNode().enabled()) {
            node = Optional.of(filterNode(config, cluster, certificate, nodes, metrics));
            started.push(node.get());
        }
        for (Nodes.Flag flag : Nodes.Flag.values()) {
            Gauge.builder("qaqpa_filter_nodes", () -> nodes.flagged(flag)).tag("flag", flag.name())
                    .description("Filtering nodes by what their signed receipts show").register(metrics);
        }
        Gauge.builder("qaqpa_filter_nodes_behind", nodes::mostBehind)
                .description("Serials the furthest-behind node's verified receipt is behind the published list")
                .register(metrics);
        Gauge.builder("qaqpa_blocklist_head_age_seconds", nodes::headAgeSeconds)
                .description("Age of the latest signed tree head in the cluster (NaN: none this gateway signed)")
                .register(metrics);
        return new Blocklist(nodes, node);
    }

    public NodeHandlers handlers() {
        return new NodeHandlers(nodes);
    }

    /** The in-process node, with its own key in the data directory, registered by the gateway itself. */
    private static FilterNode filterNode(GatewayConfig config, ClusterMember cluster, X509Certificate certificate,
                                         Nodes nodes, MeterRegistry metrics) {
        ReceiptKey key;
        try {
            key = ReceiptKey.loadOrCreate(config.dataDir().resolve("pki").resolve("nodes"), "embedded");
        } catch (RuntimeException e) {
            throw new StartupException("cannot start the filtering node: " + e.getMessage(), e);
        }
        String id = "embedded-" + Sha256.hex(key.publicKey().getEncoded()).substring(0, 8);
        nodes.register(id, key.publicKeyPem());
        try {
            return FilterNode.onMember(cluster.hazelcast(), id, config.filterNode().dns(config.feed().rpzOrigin()),
                    certificate, key, FIRST_NODE_STATE_WAIT, metrics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while starting the filtering node", e);
        } catch (RuntimeException e) {
            throw new StartupException("cannot start the filtering node on " + config.filterNode().dnsHost() + ":"
                    + config.filterNode().dnsPort() + " (UDP): " + e.getMessage(), e);
        }
    }
}
