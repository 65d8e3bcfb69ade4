package kz.qaqpa.blocklist.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.ringbuffer.OverflowPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import kz.qaqpa.blocklist.cluster.ClusterClient;
import kz.qaqpa.blocklist.cluster.ClusterMember;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.ChangeSource;
import kz.qaqpa.blocklist.model.LoggedChange;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.SignedHead;
import kz.qaqpa.blocklist.model.TargetKind;
import kz.qaqpa.blocklist.net.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real Hazelcast members in one JVM: a publisher fed from an in-memory change log, and replicas. */
class ReplicationTest {

    private static final Duration CONVERGED = Duration.ofSeconds(20);
    /** When side B of the split first looks for the other side: side A is up and at serial 4 well before. */
    private static final Duration B_FIRST_MERGE_CHECK = Duration.ofSeconds(15);

    private final String clusterName = "test-" + UUID.randomUUID();
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<BlocklistChange> log = new CopyOnWriteArrayList<>();
    private final SigningLog gateway = new SigningLog(log);
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
            log.add(domain(Operation.ADD, "bulk" + i + ".kz", false, "D-BULK"));
        }

        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 51);
        assertThat(replica.current().orElseThrow().matchDomain("bulk49.kz")).isNotEqualTo(Matcher.NO_MATCH);
        assertThat(replica.current().orElseThrow().domainCount()).isEqualTo(51);
    }

    /** Hazelcast takes at most 1,000 records in one write; a batch of 1,000 changes and its head are 1,001. */
    @Test
    void aThousandChangesAtOnceArePublishedWithTheirHead() {
        BlocklistReplica replica = nodeEnforcing("first.kz", "D-0", member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY));

        List<BlocklistChange> directive = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) { // one directive of 1,000 targets, committed at once
            directive.add(new BlocklistChange(2 + i, Operation.ADD, TargetKind.DOMAIN, "bulk" + i + ".kz", false,
                    Optional.empty(), "D-BULK"));
        }
        log.addAll(directive);

        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 1_001);
        assertThat(replica.current().orElseThrow().matchDomain("bulk999.kz")).isNotEqualTo(Matcher.NO_MATCH);
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
        ReplicatedBlocklist.changes(member).addAllAsync(List.of(SigningLog.logged(log.get(0)), SigningLog.logged(log.get(1))),
                OverflowPolicy.OVERWRITE).toCompletableFuture().join();
        add("b.kz", false, "D-3");

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
        BlocklistPublisher publisher = new BlocklistPublisher(member, logSource());
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
    void whileOnePublisherLoadsTheClusterWholeAnotherWritesNothing() throws Exception {
        // Two publishers at once: members that both take themselves for the oldest, or a publisher's
        // last tick outliving its close (what the test above once met). Interleaved whole loads left
        // the map short under a published serial, and a node adopted it.
        HazelcastInstance member = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        add("early.kz", false, "D-1");
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ChangeSource source = logSource();
        BlocklistPublisher first = new BlocklistPublisher(member, new ChangeSource() {
            @Override
            public List<LoggedChange> changesAfter(long serial, int limit) throws Exception {
                return source.changesAfter(serial, limit);
            }

            @Override
            public SignedHead head() throws Exception {
                return source.head();
            }

            @Override
            public long snapshot(Consumer<BlocklistEntry> sink) throws Exception {
                loading.countDown();
                release.await();
                return source.snapshot(sink);
            }
        });
        BlocklistPublisher second = new BlocklistPublisher(member, source);
        closeables.add(first);
        closeables.add(second);
        java.util.concurrent.CompletableFuture<Integer> whole = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return first.publishOnce();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
        long epoch = ReplicatedBlocklist.epoch(member);

        int written = second.publishOnce();

        assertThat(written).isZero();
        assertThat(ReplicatedBlocklist.epoch(member)).as("no second whole load began").isEqualTo(epoch);
        release.countDown();
        assertThat(whole.get(10, TimeUnit.SECONDS)).isPositive();
        assertThat(ReplicatedBlocklist.publishedSerialIfComplete(member)).isEqualTo(1L);
        assertThat(Map.copyOf(ReplicatedBlocklist.entries(member))).containsOnlyKeys("DOMAIN:early.kz");
    }

    @Test
    void aTargetCitedUnderAnotherDirectiveIsAnsweredWithThatOne() {
        BlocklistReplica replica = nodeEnforcing("both.kz", "D-1", member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY));

        cite("both.kz", false, "D-2");

        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 2);
        Matcher matcher = replica.current().orElseThrow();
        assertThat(matcher.directive(matcher.matchDomain("both.kz"))).isEqualTo("D-2");
        assertThat(matcher.domainCount()).isEqualTo(1);
    }

    /**
     * Each state after the first is the matcher built whole with an overlay of every name changed
     * since, built anew from the last overlay and the names of the latest changes: a name changed
     * in one round and not the next must keep its change. Compared, after every round, with a
     * matcher built whole from what the log says.
     */
    @Test
    void overlaysOverManyRoundsOfChangesAnswerAsAWholeRebuildWould() {
        HazelcastInstance member = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        publisher(member);
        BlocklistReplica replica = replica(member, "n");
        Map<String, String> expected = new HashMap<>(); // key → directive
        Random random = new Random(20261205);
        for (int round = 0; round < 25; round++) {
            int changes = round == 0 ? 40 : 1 + random.nextInt(6);
            for (int i = 0; i < changes; i++) {
                String name = "n" + random.nextInt(30) + ".kz";
                boolean subtree = random.nextBoolean();
                String key = BlocklistKey.domain(name, subtree);
                String directive = "D-" + random.nextInt(5);
                if (!expected.containsKey(key)) {
                    add(name, subtree, directive);
                    expected.put(key, directive);
                } else if (random.nextBoolean()) {
                    cite(name, subtree, directive);
                    expected.put(key, directive);
                } else {
                    remove(name, subtree, "R-" + round);
                    expected.remove(key);
                }
            }
            long serial = log.size();
            await().atMost(CONVERGED).until(replica::appliedSerial, applied -> applied == serial);
            Matcher.Builder whole = Matcher.builder();
            expected.forEach((key, directive) -> {
                BlocklistKey.Target target = BlocklistKey.parse(key);
                whole.addDomain(target.value(), target.includeSubdomains(), directive);
            });
            Matcher rebuilt = whole.build();
            Matcher followed = replica.current().orElseThrow();
            for (int n = 0; n < 30; n++) {
                for (String query : List.of("n" + n + ".kz", "www.n" + n + ".kz")) {
                    assertThat(answer(followed, query)).as("round %d, %s", round, query).isEqualTo(answer(rebuilt, query));
                }
            }
            assertThat(followed.domainCount()).as("round %d", round).isEqualTo(rebuilt.domainCount());
        }
    }

    private static String answer(Matcher matcher, String query) {
        int ordinal = matcher.matchDomain(query);
        return ordinal == Matcher.NO_MATCH ? "-" : matcher.directive(ordinal);
    }

    @Test
    void nodeWhoseClusterIsGoneKeepsAnsweringFromItsLastState() {
        HazelcastInstance member = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        BlocklistReplica replica = nodeEnforcing("blocked.kz", "D-1", member);

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

    @Test
    void killingTheMemberThatPublishesMidStreamLetsNoRestrictedNameThroughAndItsReplacementCatchesUp() throws Exception {
        HazelcastInstance oldest = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        HazelcastInstance second = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        HazelcastInstance third = member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
        for (HazelcastInstance member : List.of(oldest, second, third)) {
            publisher(member); // only the oldest member publishes; the next takes over when it goes
        }
        List<BlocklistReplica> survivors = List.of(replica(second, "n2"), replica(third, "n3"));
        replica(oldest, "n1");
        ConcurrentLinkedQueue<String> failOpen = new ConcurrentLinkedQueue<>();
        AtomicBoolean streaming = new AtomicBoolean(true);
        Thread checker = new Thread(() -> {
            while (streaming.get()) {
                for (BlocklistReplica replica : survivors) {
                    long applied = replica.appliedSerial();
                    Optional<Matcher> matcher = replica.current();
                    if (applied > 0 && matcher.isEmpty()) {
                        failOpen.add(replica + ": no matcher after serial " + applied);
                    }
                    for (int i = 0; i < applied; i++) { // every change so far is an addition of s<i>.kz
                        if (matcher.orElseThrow().matchDomain("s" + i + ".kz") == Matcher.NO_MATCH) {
                            failOpen.add("s" + i + ".kz let through at serial " + applied);
                        }
                    }
                }
            }
        }, "fail-open-checker");
        checker.start();

        for (int i = 0; i < 300; i++) {
            add("s" + i + ".kz", false, "D-" + i);
            if (i == 150) {
                oldest.getLifecycleService().terminate(); // kill: no graceful hand-over
                members.remove(oldest);
            }
            Thread.sleep(2); // a stream, not one batch
        }
        for (BlocklistReplica replica : survivors) {
            await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 300);
        }
        streaming.set(false);
        checker.join();
        assertThat(failOpen).as("never a restricted name let through").isEmpty();

        BlocklistReplica restarted = replica(member(ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY), "n1-restarted");
        add("after.kz", false, "D-AFTER");
        for (BlocklistReplica replica : List.of(survivors.get(0), survivors.get(1), restarted)) {
            await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 301);
            assertThat(replica.current().orElseThrow().domainCount()).isEqualTo(301);
        }
    }

    @Test
    void afterASplitBrainHealsNothingIsLostOrResurrected() throws Exception {
        Instant started = Instant.now();
        int[] ports = FreePorts.take(3);
        String a1 = "127.0.0.1:" + ports[0];
        String a2 = "127.0.0.1:" + ports[1];
        String b1 = "127.0.0.1:" + ports[2];
        add("lifted.kz", false, "D-1");
        add("kept.kz", true, "D-1");
        // Side B: one member whose publisher cannot read past serial 2 (its link to the database is
        // down); it knows A1's address and will find side A once A is up — the heal.
        // Its first look for another side comes after side A has taken serials 3 and 4 alone (a second,
        // then, would sometimes let it merge while A was still starting, and there was no split).
        HazelcastInstance sideB = splitMember(ports[2], List.of(b1, a1), B_FIRST_MERGE_CHECK);
        closeables.add(new BlocklistPublisher(sideB, gateway.source(() -> prunedThrough, 2)).start(Duration.ofMillis(20)));
        BlocklistReplica followingB = replica(sideB, "on-b");
        await().atMost(CONVERGED).until(followingB::appliedSerial, serial -> serial == 2);
        // Side A: two members that do not know B, and the whole change log.
        HazelcastInstance sideA = splitMember(ports[0], List.of(a1, a2), Duration.ofSeconds(1));
        HazelcastInstance sideA2 = splitMember(ports[1], List.of(a1, a2), Duration.ofSeconds(1));
        publisher(sideA);
        publisher(sideA2);
        remove("lifted.kz", false, "D-2"); // serial 3: RESTORE, seen by side A only
        add("new.kz", false, "D-3");       // serial 4
        BlocklistReplica followingA = replica(sideA2, "on-a");
        await().atMost(CONVERGED).until(followingA::appliedSerial, serial -> serial == 4);
        assertThat(sideB.getCluster().getMembers()).as("split: side A ready %s after the start, before B's first look",
                Duration.between(started, Instant.now())).hasSize(1);
        CountDownLatch merged = new CountDownLatch(1);
        sideB.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                merged.countDown();
            }
        });

        assertThat(merged.await(60, TimeUnit.SECONDS)).as("healed: B merged into A").isTrue();
        assertThat(sideA.getCluster().getMembers()).hasSize(3);

        assertThat(ReplicatedBlocklist.entries(sideA).keySet()).as("the merged cluster's set")
                .containsExactlyInAnyOrder("DOMAIN:*.kept.kz", "DOMAIN:new.kz");
        for (BlocklistReplica replica : List.of(followingA, followingB, replica(sideB, "fresh-on-b"))) {
            await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 4);
            Matcher matcher = replica.current().orElseThrow();
            assertThat(matcher.matchDomain("lifted.kz")).as(replica + ": not resurrected").isEqualTo(Matcher.NO_MATCH);
            assertThat(matcher.matchDomain("new.kz")).as(replica + ": not lost").isNotEqualTo(Matcher.NO_MATCH);
            assertThat(matcher.matchDomain("www.kept.kz")).isNotEqualTo(Matcher.NO_MATCH);
        }
    }

    /** A member of the split-brain test: a fixed port, its own member list, merge checks every second after the first. */
    private HazelcastInstance splitMember(int port, List<String> known, Duration firstMergeCheck) {
        Config config = ClusterMember.config(new ClusterSettings(clusterName, "127.0.0.1", port, known));
        config.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(firstMergeCheck.toSeconds()));
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "1");
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        members.add(member);
        return member;
    }

    /** A node following {@code member}, which publishes the log, once it enforces its first change: {@code name} restricted. */
    private BlocklistReplica nodeEnforcing(String name, String directive, HazelcastInstance member) {
        publisher(member);
        BlocklistReplica replica = replica(member, "n");
        add(name, false, directive);
        await().atMost(CONVERGED).until(replica::appliedSerial, serial -> serial == 1);
        return replica;
    }

    private void add(String name, boolean subtree, String directive) {
        log.add(domain(Operation.ADD, name, subtree, directive));
    }

    /** An UPDATE: the target stays, under another directive. */
    private void cite(String name, boolean subtree, String directive) {
        log.add(domain(Operation.UPDATE, name, subtree, directive));
    }

    private void remove(String name, boolean subtree, String directive) {
        log.add(domain(Operation.REMOVE, name, subtree, directive));
    }

    /** The next change of the log, of a domain name. */
    private BlocklistChange domain(Operation operation, String name, boolean subtree, String directive) {
        return new BlocklistChange(log.size() + 1, operation, TargetKind.DOMAIN, name, subtree, Optional.empty(), directive);
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
        closeables.add(new BlocklistPublisher(member, logSource()).start(Duration.ofMillis(20)));
    }

    /** The gateway's change log with its signed heads, as the publisher reads it. */
    private ChangeSource logSource() {
        return gateway.source(() -> prunedThrough, Long.MAX_VALUE);
    }

    private BlocklistReplica replica(HazelcastInstance member, String id) {
        BlocklistReplica replica = new BlocklistReplica(member, id, gateway.certificate(), SigningLog.nodeKey(),
                Clock.systemUTC()).start("127.0.0.1:0");
        closeables.add(replica);
        return replica;
    }
}
