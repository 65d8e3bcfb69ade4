package kz.qaqpa.gateway.blocklist;

import com.hazelcast.core.HazelcastInstance;
import java.util.Comparator;
import java.util.List;
import kz.qaqpa.blocklist.replica.NodeStatus;
import kz.qaqpa.blocklist.replica.ReplicatedBlocklist;

/** The filtering nodes as they report themselves to the cluster. Calls block: use a worker. */
public final class Nodes {

    private final HazelcastInstance hazelcast;

    public Nodes(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    public List<NodeStatus> all() {
        return hazelcast.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).values().stream()
                .sorted(Comparator.comparing(NodeStatus::id)).toList();
    }

    public long publishedSerial() {
        return ReplicatedBlocklist.publishedSerial(hazelcast);
    }
}
