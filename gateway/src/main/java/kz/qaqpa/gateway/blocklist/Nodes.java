package kz.qaqpa.gateway.blocklist;

import com.hazelcast.core.HazelcastInstance;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import kz.qaqpa.blocklist.model.log.GatewaySignature;
import kz.qaqpa.blocklist.replica.NodeStatus;
import kz.qaqpa.blocklist.replica.ReplicatedBlocklist;

/** The filtering nodes as they report themselves to the cluster. Calls block: use a worker. */
public final class Nodes {

    private final HazelcastInstance hazelcast;
    private final X509Certificate gateway;
    private final Clock clock;

    /** @param gateway the certificate the gateway signs its tree heads with */
    public Nodes(HazelcastInstance hazelcast, X509Certificate gateway, Clock clock) {
        this.hazelcast = hazelcast;
        this.gateway = gateway;
        this.clock = clock;
    }

    /** What the nodes report — claims: anyone who reaches the cluster can write one. */
    public List<NodeStatus> all() {
        return hazelcast.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).values().stream()
                .sorted(Comparator.comparing(NodeStatus::id)).toList();
    }

    public long publishedSerial() {
        return ReplicatedBlocklist.publishedSerial(hazelcast);
    }

    /**
     * Whether the cluster holds a tree head this gateway signed that has not expired — what the
     * nodes need to go on verifying. False when publishing has stopped (or been frozen by someone
     * holding the cluster's publishing lock) for longer than {@code max-staleness}.
     */
    public boolean publishing() {
        try {
            return ReplicatedBlocklist.latestHead(hazelcast)
                    .flatMap(head -> GatewaySignature.treeHead(head.cms(), gateway))
                    .map(head -> head.isValidAt(clock.instant())).orElse(false);
        } catch (RuntimeException unreachable) {
            return false; // the cluster is gone: its own check says so
        }
    }
}
