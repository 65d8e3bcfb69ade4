package kz.qaqpa.blocklist.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.OverflowPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import kz.qaqpa.blocklist.cluster.ClusterClient;
import kz.qaqpa.blocklist.cluster.ClusterMember;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.Reload;
import kz.qaqpa.blocklist.model.SignedHead;
import kz.qaqpa.blocklist.model.SnapshotSource;
import kz.qaqpa.blocklist.model.StreamRecord;
import kz.qaqpa.blocklist.model.TargetKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attack on the cluster, performed: a gateway's member publishing signed heads, a filtering
 * node on a Hazelcast client of its own, and a rogue process that knows only the cluster's name
 * and address, on another client — Hazelcast's open-source edition lets it write anything. For
 * each lie a watcher asks the node's matcher about the restricted name throughout: it must never
 * be let through, the node must say it was lied to (or that its heads went stale), and it must
 * come back to a verified state once the rogue stops.
 */
class RogueClientTest {

    /** Within this the node reports the lie: heads are signed anew every second. */
    private static final Duration NOTICED = Duration.ofSeconds(2);
    private static final Duration RECOVERED = Duration.ofSeconds(20);

    private final String clusterName = "rogue-" + UUID.randomUUID();
    private final List<BlocklistChange> log = new CopyOnWriteArrayList<>();
    private final SigningLog gateway = new SigningLog(log);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<HazelcastInstance> instances = new ArrayList<>();
    private HazelcastInstance member;
    private HazelcastInstance rogue;
    private BlocklistReplica node;
    private Watcher watcher;

    @BeforeEach
    void cluster() {
        gateway.timing(Clock.systemUTC(), Duration.ofSeconds(4));
        add("other.kz", "D-1");
        add("casino.kz", "D-2");
        Config config = ClusterMember.config(new ClusterSettings(clusterName, "127.0.0.1", 0, List.of("127.0.0.1")));
        ReplicatedBlocklist.configure(config, ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        member = Hazelcast.newHazelcastInstance(config);
        instances.add(member);
        closeables.add(new BlocklistPublisher(member, gateway.source(() -> 0, Long.MAX_VALUE)).start(Duration.ofMillis(20)));
        node = new BlocklistReplica(client(), "node", gateway.certificate(), SigningLog.nodeKey(), Clock.systemUTC()).start("127.0.0.1:0");
        closeables.add(node);
        await().atMost(RECOVERED).until(() -> node.appliedSerial() == 2 && node.state() == NodeStatus.State.VERIFIED);
        watcher = new Watcher(node);
        closeables.add(watcher);
        rogue = client();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        instances.forEach(instance -> instance.getLifecycleService().terminate());
    }

    @Test
    void aForgedRemovalInTheStreamIsRefused() {
        rogueAppends(SigningLog.logged(change(3, Operation.REMOVE, "casino.kz", "R-FORGED")));

        await().atMost(NOTICED).until(() -> node.state() == NodeStatus.State.TAMPERED);
        assertThat(reportedState()).as("the gateway sees the node's report").isEqualTo(NodeStatus.State.TAMPERED);
        // The publisher, told by the node, loads the cluster whole again: the forged change is behind the reload.
        await().atMost(RECOVERED).until(() -> node.state() == NodeStatus.State.VERIFIED);
        assertThat(node.appliedSerial()).isEqualTo(2);
        watcher.assertNeverLetThrough("casino.kz");
    }

    @Test
    void anEntryTakenOutOfTheMapIsRefusedAndTheMapRepaired() {
        ReplicatedBlocklist.entries(rogue).delete("DOMAIN:casino.kz");
        rogueAppends(new Reload(2));

        await().atMost(NOTICED).until(() -> node.state() == NodeStatus.State.TAMPERED);
        assertThat(node.detail()).contains("is not the set the gateway signed");
        await().atMost(RECOVERED).until(() -> node.state() == NodeStatus.State.VERIFIED);
        assertThat(ReplicatedBlocklist.entries(member).containsKey("DOMAIN:casino.kz")).as("repaired").isTrue();
        watcher.assertNeverLetThrough("casino.kz");
    }

    @Test
    void aForgedChangeInTheNextSerialDoesNotMakeTheNodeSkipTheGenuineOne() {
        rogueAppends(SigningLog.logged(change(3, Operation.ADD, "harmless.kz", "D-FORGED")));
        add("new.kz", "D-3");

        await().atMost(RECOVERED).until(() -> node.appliedSerial() == 3 && node.state() == NodeStatus.State.VERIFIED);
        assertThat(node.current().orElseThrow().matchDomain("new.kz")).as("the genuine serial 3").isNotEqualTo(Matcher.NO_MATCH);
        watcher.assertNeverLetThrough("casino.kz");
        assertThat(watcher.everMatched("harmless.kz")).as("the forged serial 3 was never enforced").isFalse();
    }

    @Test
    void changesReorderedInTheStreamAreRefused() {
        List<BlocklistChange> genuine = List.of(change(3, Operation.ADD, "a.kz", "D-3"), change(4, Operation.REMOVE, "a.kz", "R-4"));
        // The rogue writes the gateway's next two changes with their serials swapped, and a head it cannot sign.
        rogueAppends(SigningLog.logged(new BlocklistChange(3, Operation.REMOVE, TargetKind.DOMAIN, "casino.kz", false,
                Optional.empty(), "R-4")));
        rogueAppends(SigningLog.logged(new BlocklistChange(4, Operation.ADD, TargetKind.DOMAIN, "a.kz", false,
                Optional.empty(), "D-3")));
        log.addAll(genuine);

        await().atMost(RECOVERED).until(() -> node.appliedSerial() == 4 && node.state() == NodeStatus.State.VERIFIED);
        assertThat(node.current().orElseThrow().matchDomain("a.kz")).isEqualTo(Matcher.NO_MATCH);
        watcher.assertNeverLetThrough("casino.kz");
    }

    @Test
    void aHeadSignedByAnyoneButTheGatewayIsRefused() {
        BlocklistChange lifted = change(3, Operation.REMOVE, "casino.kz", "R-FORGED");
        List<BlocklistChange> forged = new ArrayList<>(log);
        forged.add(lifted);
        SignedHead head = new SigningLog(forged).head(3); // its own key: a well-formed head, edge and all
        rogueAppends(SigningLog.logged(lifted));
        rogueAppends(head);

        await().atMost(NOTICED).until(() -> node.state() == NodeStatus.State.TAMPERED);
        assertThat(node.detail()).contains("not signed by the gateway's certificate");
        watcher.assertNeverLetThrough("casino.kz");
        assertThat(node.appliedSerial()).isEqualTo(2);
    }

    @Test
    void anOlderSignedStateIsARollback() {
        SignedHead older = gateway.head(1); // genuinely signed: the list before casino.kz was restricted
        ReplicatedBlocklist.meta(rogue).lock(BlocklistPublisher.PUBLISHING); // so that the publisher cannot put it right
        ReplicatedBlocklist.entries(rogue).delete("DOMAIN:casino.kz");
        ReplicatedBlocklist.heads(rogue).set(ReplicatedBlocklist.LATEST, older);
        ReplicatedBlocklist.meta(rogue).set(ReplicatedBlocklist.PUBLISHED_SERIAL, 1L);
        rogueAppends(new Reload(1));

        await().atMost(NOTICED).until(() -> node.state() == NodeStatus.State.TAMPERED);
        assertThat(node.detail()).contains("rollback");
        ReplicatedBlocklist.meta(rogue).unlock(BlocklistPublisher.PUBLISHING);
        await().atMost(RECOVERED).until(() -> node.state() == NodeStatus.State.VERIFIED);
        assertThat(node.appliedSerial()).isEqualTo(2);
        watcher.assertNeverLetThrough("casino.kz");
    }

    @Test
    void frozenPublishingMakesTheNodeStaleNotOpen() {
        ReplicatedBlocklist.meta(rogue).lock(BlocklistPublisher.PUBLISHING);
        add("late.kz", "D-3");

        await().atMost(Duration.ofSeconds(8)).until(() -> node.state() == NodeStatus.State.STALE);
        assertThat(reportedState()).isEqualTo(NodeStatus.State.STALE);
        assertThat(node.appliedSerial()).as("nothing published while frozen").isEqualTo(2);

        rogue.getLifecycleService().terminate(); // the rogue goes: its lock goes with it
        await().atMost(RECOVERED).until(() -> node.appliedSerial() == 3 && node.state() == NodeStatus.State.VERIFIED);
        watcher.assertNeverLetThrough("casino.kz");
    }

    @Test
    void frozenPublishingCannotHoldANewRestrictionFromANodeWithTheGatewaysFeed() throws Exception {
        BlocklistReplica fed = new BlocklistReplica(client(), "fed", gateway.certificate(), SigningLog.nodeKey(),
                Clock.systemUTC(), Optional.of(gateway.feed())).start("127.0.0.1:0");
        closeables.add(fed);
        await().atMost(RECOVERED).until(() -> fed.appliedSerial() == 2 && fed.state() == NodeStatus.State.VERIFIED);
        Watcher watching = new Watcher(fed);
        closeables.add(watching);

        ReplicatedBlocklist.meta(rogue).lock(BlocklistPublisher.PUBLISHING);
        add("late.kz", "D-3");

        // Its head expires (4 s), and the feed has the gateway's newer one: the new restriction is enforced.
        await().atMost(Duration.ofSeconds(10)).until(() -> fed.appliedSerial() == 3);
        assertThat(fed.current().orElseThrow().matchDomain("late.kz")).isNotEqualTo(Matcher.NO_MATCH);
        assertThat(ReplicatedBlocklist.publishedSerial(member)).as("the cluster still frozen").isEqualTo(2);
        assertThat(node.appliedSerial()).as("a node without the feed waits").isEqualTo(2);

        rogue.getLifecycleService().terminate();
        await().atMost(RECOVERED).until(() -> fed.state() == NodeStatus.State.VERIFIED
                && ReplicatedBlocklist.publishedSerial(member) == 3);
        assertThat(fed.appliedSerial()).isEqualTo(3);
        watching.assertNeverLetThrough("casino.kz");
    }

    @Test
    void aFeedThatLiesIsRefusedLikeTheCluster() {
        List<BlocklistChange> lifted = new ArrayList<>(log);
        lifted.add(change(3, Operation.REMOVE, "casino.kz", "R-FORGED"));
        SigningLog impostor = new SigningLog(lifted); // a well-formed feed, its heads under another key
        AtomicInteger asked = new AtomicInteger();
        SnapshotSource anotherKey = feed(() -> impostor.head(3).cms(), impostor.feed(), asked);
        SnapshotSource genuineHeadWrongSet = feed(() -> gateway.head(3).cms(), impostor.feed(), asked); // casino.kz gone
        ReplicatedBlocklist.meta(rogue).lock(BlocklistPublisher.PUBLISHING);
        add("late.kz", "D-3"); // the gateway's serial 3, which the frozen cluster does not carry
        for (SnapshotSource lying : List.of(anotherKey, genuineHeadWrongSet)) {
            BlocklistReplica fed = new BlocklistReplica(client(), "fed", gateway.certificate(), SigningLog.nodeKey(),
                    Clock.systemUTC(), Optional.of(lying)).start("127.0.0.1:0");
            closeables.add(fed);
            await().atMost(RECOVERED).until(() -> fed.appliedSerial() == 2);
            int before = asked.get();
            await().atMost(Duration.ofSeconds(15)).until(() -> asked.get() >= before + 2); // its head expired: it asked twice
            assertThat(fed.appliedSerial()).isEqualTo(2);
            assertThat(fed.current().orElseThrow().matchDomain("casino.kz")).isNotEqualTo(Matcher.NO_MATCH);
            assertThat(fed.state()).isEqualTo(NodeStatus.State.STALE);
            fed.close();
        }
        ReplicatedBlocklist.meta(rogue).unlock(BlocklistPublisher.PUBLISHING);
        await().atMost(RECOVERED).until(() -> node.appliedSerial() == 3 && node.state() == NodeStatus.State.VERIFIED);
    }

    /** A feed that gives the head {@code head} makes and the entries {@code set} holds, counting the turns to it. */
    private static SnapshotSource feed(Supplier<byte[]> head, SnapshotSource set, AtomicInteger asked) {
        return new SnapshotSource() {
            @Override
            public byte[] refresh() throws Exception {
                asked.incrementAndGet();
                set.refresh();
                return head.get();
            }

            @Override
            public void entries(Consumer<BlocklistEntry> sink) throws Exception {
                set.entries(sink);
            }
        };
    }

    private NodeStatus.State reportedState() {
        return await().atMost(NOTICED).until(() -> member.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).get("node"),
                status -> status != null && status.state() == node.state()).state();
    }

    private void rogueAppends(StreamRecord record) {
        ReplicatedBlocklist.changes(rogue).addAsync(record, OverflowPolicy.OVERWRITE).toCompletableFuture().join();
    }

    private void add(String name, String directive) {
        log.add(change(log.size() + 1, Operation.ADD, name, directive));
    }

    private static BlocklistChange change(long serial, Operation operation, String name, String directive) {
        return new BlocklistChange(serial, operation, TargetKind.DOMAIN, name, false, Optional.empty(), directive);
    }

    private HazelcastInstance client() {
        int port = member.getCluster().getLocalMember().getSocketAddress().getPort();
        HazelcastInstance client = ClusterClient.connect(new ClusterSettings(clusterName, "127.0.0.1", 0,
                List.of("127.0.0.1:" + port)));
        instances.add(client);
        return client;
    }

    /** Asks the node's matcher about names, as fast as it can, from before the attack to the end. */
    private static final class Watcher implements AutoCloseable {

        private final BlocklistReplica node;
        private final Thread thread;
        private final AtomicLong asked = new AtomicLong();
        private final AtomicReference<String> letThrough = new AtomicReference<>();
        private final List<String> matched = new CopyOnWriteArrayList<>();
        private volatile boolean running = true;

        Watcher(BlocklistReplica node) {
            this.node = node;
            this.thread = new Thread(this::watch, "watcher");
            thread.setDaemon(true);
            thread.start();
        }

        private void watch() {
            while (running) {
                Optional<Matcher> matcher = node.current();
                if (matcher.isEmpty() || matcher.get().matchDomain("casino.kz") == Matcher.NO_MATCH) {
                    letThrough.compareAndSet(null, "casino.kz at serial " + node.appliedSerial());
                }
                if (matcher.isPresent() && matcher.get().matchDomain("harmless.kz") != Matcher.NO_MATCH
                        && !matched.contains("harmless.kz")) {
                    matched.add("harmless.kz");
                }
                asked.incrementAndGet();
            }
        }

        void assertNeverLetThrough(String name) {
            long before = asked.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> asked.get() > before + 1_000);
            assertThat(letThrough.get()).as(name + " was let through").isNull();
        }

        boolean everMatched(String name) {
            return matched.contains(name);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
