package kz.qaqpa.blocklist.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import kz.qaqpa.blocklist.cluster.ClusterClient;
import kz.qaqpa.blocklist.cluster.ClusterMember;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.TargetKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node's whole copy, read from the cluster a group of partitions at a time, holds every entry once. */
class ReadEntriesTest {

    private final List<HazelcastInstance> instances = new ArrayList<>();

    @AfterEach
    void stop() {
        instances.forEach(instance -> instance.getLifecycleService().terminate());
    }

    @Test
    void aClientReadingInManyPartsGetsEveryEntryOnce() {
        String cluster = "read-" + UUID.randomUUID();
        Config config = ClusterMember.config(new ClusterSettings(cluster, "127.0.0.1", 0, List.of()));
        ReplicatedBlocklist.configure(config, 100);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        instances.add(member);
        Map<String, BlocklistChange> written = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            BlocklistChange entry = new BlocklistChange(i + 1, Operation.ADD, TargetKind.DOMAIN, "n" + i + ".kz", i % 2 == 0,
                    Optional.empty(), "D-" + i % 7);
            written.put(entry.key(), entry);
        }
        ReplicatedBlocklist.entries(member).putAll(written);
        int port = member.getCluster().getLocalMember().getSocketAddress().getPort();
        HazelcastInstance client = ClusterClient.connect(new ClusterSettings(cluster, "127.0.0.1", 0,
                List.of("127.0.0.1:" + port)));
        instances.add(client);

        for (int perPart : new int[] {3_000, 100, 7}) { // one query; 30 groups of partitions; one partition a query
            Map<String, BlocklistChange> read = new HashMap<>();
            List<String> twice = new ArrayList<>();
            ReplicatedBlocklist.readEntries(client, perPart, entry -> {
                if (read.put(entry.key(), entry) != null) {
                    twice.add(entry.key());
                }
            });
            assertThat(twice).as("read twice, %d a part", perPart).isEmpty();
            assertThat(read).as("%d a part", perPart).isEqualTo(written);
        }
    }
}
