package kz.qaqpa.gateway.blocklist;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.Optional;
import kz.qaqpa.blocklist.cluster.ClusterMember;
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
                                  X509Certificate certificate, Clock clock, Deque<AutoCloseable> started) {
        started.push(new BlocklistPublisher(cluster.hazelcast(), new DatabaseChangeSource(database.dataSource(), heads))
                .start(PUBLISH_INTERVAL));
        started.push(new ChangeLogPruner(database.dataSource(), config.retention().keepChanges(),
                config.retention().keepFor(), clock));
        Optional<FilterNode> node = Optional.empty();
        if (config.filterNode().enabled()) {
            node = Optional.of(filterNode(config, cluster, certificate));
            started.push(node.get());
        }
        return new Blocklist(new Nodes(cluster.hazelcast(), certificate, clock), node);
    }

    public NodeHandlers handlers() {
        return new NodeHandlers(nodes);
    }

    private static FilterNode filterNode(GatewayConfig config, ClusterMember cluster, X509Certificate certificate) {
        String id = "embedded-" + cluster.hazelcast().getCluster().getLocalMember().getUuid().toString().substring(0, 8);
        try {
            return FilterNode.onMember(cluster.hazelcast(), id, config.filterNode().dns(config.feed().rpzOrigin()),
                    certificate, FIRST_NODE_STATE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while starting the filtering node", e);
        } catch (RuntimeException e) {
            throw new StartupException("cannot start the filtering node on " + config.filterNode().dnsHost() + ":"
                    + config.filterNode().dnsPort() + " (UDP): " + e.getMessage(), e);
        }
    }
}
