package kz.qaqpa.blocklist.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import kz.qaqpa.blocklist.cluster.ClusterClient;
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
    private volatile long prunedThrough;

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
    void aNewClusterIsLoadedWholeWhenTheChangesItWouldNeedArePruned() {
        add("lifted.kz", false, "D-1");
        add("kept.kz", true, "D-1");
        remove("lifted.kz", false, "D-3");
        cite("kept.kz", true, "D-2"); // D-1 cancelled, D-2 still names kept.kz
        add("late.kz", false, "D-4");
        prunedThrough = 4;

        HazelcastInstance member = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        publisher(member);
        BlocklistReplica replica = replica(member, "n");

        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 5);
        Matcher matcher = replica.current().orElseThrow();
        assertThat(matcher.matchDomain("lifted.kz")).isEqualTo(Matcher.NO_MATCH);
        assertThat(matcher.directive(matcher.matchDomain("www.kept.kz"))).isEqualTo("D-2");
        assertThat(matcher.directive(matcher.matchDomain("late.kz"))).isEqualTo("D-4");
    }

    @Test
    void clusterFurtherBehindThanTheKeptChangesIsReloadedAndItsNodesFollow() {
        HazelcastInstance member = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        BlocklistPublisher publisher = new BlocklistPublisher(member, new LogSource());
        closeables.add(publisher);
        publisher.start(Duration.ofMillis(20));
        BlocklistReplica replica = replica(member, "n");
        add("early.kz", false, "D-1");
        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 1);
        publisher.close(); // the cluster stops hearing of changes

        add("middle.kz", false, "D-2");
        remove("early.kz", false, "D-3");
        add("now.kz", false, "D-4");
        prunedThrough = 3;
        publisher(member);

        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 4);
        Matcher matcher = replica.current().orElseThrow();
        assertThat(matcher.matchDomain("early.kz")).isEqualTo(Matcher.NO_MATCH);
        assertThat(matcher.matchDomain("middle.kz")).isNotEqualTo(Matcher.NO_MATCH);
        assertThat(matcher.matchDomain("now.kz")).isNotEqualTo(Matcher.NO_MATCH);
    }

    @Test
    void aTargetCitedUnderAnotherDirectiveIsAnsweredWithThatOne() {
        HazelcastInstance member = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        publisher(member);
        BlocklistReplica replica = replica(member, "n");
        add("both.kz", false, "D-1");
        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 1);

        cite("both.kz", false, "D-2");

        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 2);
        Matcher matcher = replica.current().orElseThrow();
        assertThat(matcher.directive(matcher.matchDomain("both.kz"))).isEqualTo("D-2");
        assertThat(matcher.domainCount()).isEqualTo(1);
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

    @Test
    void nodeWhoseWholeClusterIsReplacedReloadsFromTheNewOneAndFollows() {
        HazelcastInstance first = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        publisher(first);
        int port = first.getCluster().getLocalMember().getSocketAddress().getPort();
        HazelcastInstance client = ClusterClient.connect(new ClusterSettings(clusterName, "127.0.0.1", 0,
                List.of("127.0.0.1:" + port)));
        closeables.add(() -> client.getLifecycleService().terminate());
        BlocklistReplica replica = replica(client, "client-node");
        for (int i = 0; i < 30; i++) {
            add("before" + i + ".kz", false, "D-" + i);
        }
        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 30);

        first.getLifecycleService().terminate(); // the only member: the whole cluster is gone
        members.clear();
        remove("before0.kz", false, "D-R");
        add("after.kz", false, "D-A");
        HazelcastInstance replacement = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY, port);
        publisher(replacement);

        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 32);
        Matcher matcher = replica.current().orElseThrow();
        assertThat(matcher.matchDomain("before0.kz")).isEqualTo(Matcher.NO_MATCH);
        assertThat(matcher.matchDomain("after.kz")).isNotEqualTo(Matcher.NO_MATCH);
        assertThat(matcher.domainCount()).isEqualTo(30);
    }

    private void add(String name, boolean subtree, String directive) {
        log.add(new BlocklistChange(log.size() + 1, true, "DOMAIN", key(name, subtree), name, subtree, null, directive));
    }

    /** An UPDATE: the target stays, under another directive. */
    private void cite(String name, boolean subtree, String directive) {
        add(name, subtree, directive);
    }

    private void remove(String name, boolean subtree, String directive) {
        log.add(new BlocklistChange(log.size() + 1, false, "DOMAIN", key(name, subtree), name, subtree, null, directive));
    }

    private static String key(String name, boolean subtree) {
        return subtree ? "DOMAIN:*." + name : "DOMAIN:" + name;
    }

    private HazelcastInstance member(int changeCapacity) {
        return member(changeCapacity, 0);
    }

    private HazelcastInstance member(int changeCapacity, int port) {
        String known = members.isEmpty() ? "127.0.0.1" : members.get(0).getCluster().getLocalMember().getSocketAddress()
                .getHostString() + ":" + members.get(0).getCluster().getLocalMember().getSocketAddress().getPort();
        Config config = ClusterMember.config(new ClusterSettings(clusterName, "127.0.0.1", port, List.of(known)));
        ReplicatedBlocklist.configure(config, changeCapacity);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        members.add(member);
        return member;
    }

    private void publisher(HazelcastInstance member) {
        closeables.add(new BlocklistPublisher(member, new LogSource()).start(Duration.ofMillis(20)));
    }

    /** The in-memory change log, which keeps changes after {@link #prunedThrough} only, like the database's. */
    private final class LogSource implements ChangeSource {

        @Override
        public List<BlocklistChange> changesAfter(long serial, int limit) {
            return log.stream().filter(change -> change.serial() > Math.max(serial, prunedThrough)).limit(limit).toList();
        }

        @Override
        public long snapshot(Consumer<BlocklistChange> sink) {
            Map<String, BlocklistChange> current = new LinkedHashMap<>();
            List<BlocklistChange> all = List.copyOf(log);
            all.forEach(change -> {
                if (change.add()) {
                    current.put(change.key(), change);
                } else {
                    current.remove(change.key());
                }
            });
            current.values().forEach(sink);
            return all.isEmpty() ? 0 : all.get(all.size() - 1).serial();
        }
    }

    private BlocklistReplica replica(HazelcastInstance member, String id) {
        BlocklistReplica replica = new BlocklistReplica(member, id).start("127.0.0.1:0");
        closeables.add(replica);
        return replica;
    }
}
