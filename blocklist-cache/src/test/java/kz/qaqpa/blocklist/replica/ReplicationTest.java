package kz.qaqpa.blocklist.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import kz.qaqpa.blocklist.cluster.ClusterMember;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.matcher.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real Hazelcast members in one JVM: a publisher fed from an in-memory change log, and replicas. */
class ReplicationTest {

    private static final Duration CONVERGED = Duration.ofSeconds(20);

    private final String clusterName = "test-" + UUID.randomUUID();
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<BlocklistChange> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        members.forEach(member -> member.getLifecycleService().terminate());
    }

    @Test
    void replicasOnThreeMembersConvergeOnTheSameSerialAndAnswer() {
        HazelcastInstance first = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        publisher(first);
        List<BlocklistReplica> replicas = List.of(replica(first, "n1"),
                replica(member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY), "n2"),
                replica(member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY), "n3"));

        add("casino.kz", true, "D-1");
        add("example.kz", false, "D-1");
        remove("example.kz", false, "D-2");

        for (BlocklistReplica replica : replicas) {
            await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 3);
            Matcher matcher = replica.current().orElseThrow();
            assertThat(matcher.matchDomain("www.casino.kz")).isNotEqualTo(Matcher.NO_MATCH);
            assertThat(matcher.matchDomain("example.kz")).isEqualTo(Matcher.NO_MATCH);
        }
        await().atMost(CONVERGED).until(() -> first.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).size() == 3);
    }

    @Test
    void nodeStartingLateLoadsTheSnapshotAndFollows() {
        HazelcastInstance member = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        publisher(member);
        for (int i = 0; i < 20; i++) {
            add("site" + i + ".kz", false, "D-" + i);
        }
        await().atMost(CONVERGED).until(() -> ReplicatedBlocklist.publishedSerial(member) == 20);

        BlocklistReplica late = replica(member, "late");
        await().atMost(CONVERGED).until(late::appliedSerial, serial -> serial == 20);
        add("site20.kz", false, "D-20");

        await().atMost(CONVERGED).until(late::appliedSerial, serial -> serial == 21);
        assertThat(late.current().orElseThrow().domainCount()).isEqualTo(21);
    }

    @Test
    void nodeThatFallsBehindTheRetainedChangesReloadsASnapshot() {
        HazelcastInstance member = member(10);
        publisher(member);
        BlocklistReplica replica = replica(member, "slow");
        add("first.kz", false, "D-0");
        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 1);

        for (int i = 0; i < 50; i++) { // one batch, five times the ringbuffer's capacity
            log.add(new BlocklistChange(log.size() + 1, true, "DOMAIN", "DOMAIN:bulk" + i + ".kz", "bulk" + i + ".kz",
                    false, null, "D-BULK"));
        }

        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 51);
        assertThat(replica.current().orElseThrow().matchDomain("bulk49.kz")).isNotEqualTo(Matcher.NO_MATCH);
        assertThat(replica.current().orElseThrow().domainCount()).isEqualTo(51);
    }

    @Test
    void republishedChangesAreAppliedOnce() {
        HazelcastInstance member = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        publisher(member);
        BlocklistReplica replica = replica(member, "n");
        add("a.kz", false, "D-1");
        remove("a.kz", false, "D-2");
        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 2);

        // A publisher that failed over writes its last batch again, then goes on.
        ReplicatedBlocklist.changes(member).addAllAsync(List.of(log.get(0), log.get(1),
                new BlocklistChange(3, true, "DOMAIN", "DOMAIN:b.kz", "b.kz", false, null, "D-3")),
                OverflowPolicy.OVERWRITE).toCompletableFuture().join();

        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 3);
        assertThat(replica.current().orElseThrow().matchDomain("a.kz")).as("not re-added").isEqualTo(Matcher.NO_MATCH);
    }

    @Test
    void nodeWhoseClusterIsGoneKeepsAnsweringFromItsLastState() {
        HazelcastInstance member = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        publisher(member);
        BlocklistReplica replica = replica(member, "n");
        add("blocked.kz", false, "D-1");
        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 1);

        member.getLifecycleService().terminate();

        assertThat(replica.current()).isPresent();
        assertThat(replica.current().orElseThrow().matchDomain("blocked.kz")).isNotEqualTo(Matcher.NO_MATCH);
    }

    private void add(String name, boolean subtree, String directive) {
        log.add(new BlocklistChange(log.size() + 1, true, "DOMAIN", key(name, subtree), name, subtree, null, directive));
    }

    private void remove(String name, boolean subtree, String directive) {
        log.add(new BlocklistChange(log.size() + 1, false, "DOMAIN", key(name, subtree), name, subtree, null, directive));
    }

    private static String key(String name, boolean subtree) {
        return subtree ? "DOMAIN:*." + name : "DOMAIN:" + name;
    }

    private HazelcastInstance member(int changeCapacity) {
        String known = members.isEmpty() ? "127.0.0.1" : members.get(0).getCluster().getLocalMember().getSocketAddress()
                .getHostString() + ":" + members.get(0).getCluster().getLocalMember().getSocketAddress().getPort();
        Config config = ClusterMember.config(new ClusterSettings(clusterName, "127.0.0.1", 0, List.of(known)));
        ReplicatedBlocklist.configure(config, changeCapacity);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        members.add(member);
        return member;
    }

    private void publisher(HazelcastInstance member) {
        closeables.add(new BlocklistPublisher(member, (serial, limit) -> log.stream()
                .filter(change -> change.serial() > serial).limit(limit).toList()).start(Duration.ofMillis(20)));
    }

    private BlocklistReplica replica(HazelcastInstance member, String id) {
        BlocklistReplica replica = new BlocklistReplica(member, id).start("127.0.0.1:0");
        closeables.add(replica);
        return replica;
    }
}
