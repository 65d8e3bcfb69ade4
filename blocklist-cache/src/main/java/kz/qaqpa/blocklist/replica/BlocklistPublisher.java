package kz.qaqpa.blocklist.replica;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.ChangeSource;
import kz.qaqpa.blocklist.model.LoggedChange;
import kz.qaqpa.blocklist.model.Reload;
import kz.qaqpa.blocklist.model.SignedHead;
import kz.qaqpa.blocklist.model.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves committed changes from the gateway's change log into the cluster, in serial order.
 *
 * <p>Exactly one publisher. Every gateway runs one, but only the oldest member of the cluster
 * publishes — Hazelcast lists members oldest first and only gateways are members (filtering nodes
 * are clients). When it leaves, the next oldest takes over on its next tick. Members can briefly
 * disagree on who is oldest, and a publisher's last tick can outlive its close; so each tick also
 * holds the cluster's publishing lock, or does nothing: two whole loads interleaved could leave
 * the map short while its published serial says complete, and a node adopting it would let
 * restricted names through. {@link #close} waits for a tick under way.
 *
 * <p>No gaps, no losses. The publisher never trusts its memory: each tick it asks the change log
 * for the changes after the serial published in the cluster. A batch interrupted half-way (the
 * publisher died, or lost the cluster) is therefore asked for and written again; the ringbuffer may
 * then hold a serial twice, which readers skip, and the map writes are idempotent. A cluster with
 * no blocklist yet, or one further behind than the database keeps changes, is loaded whole from the
 * database's current set instead (see {@link ReplicatedBlocklist}).
 *
 * <p>Signed heads. Each tick first takes the gateway's latest signed tree head and publishes the
 * changes up to it, then the head: into the stream after them, and as the latest head. A head is
 * signed anew every {@code sth-interval}, so a fresh one reaches the nodes even when nothing
 * changes, and a node that stops receiving them knows it is cut off.
 *
 * <p>Repair. A node that finds the cluster's data does not verify reports it ({@link NodeStatus#tampered});
 * the publisher then loads the cluster whole again — the map rewritten from the database, a new
 * epoch — at most once per {@value #REPAIR_PAUSE_SECONDS} seconds, so a process that reports
 * falsely costs reloads, never a wrong state.
 */
public final class BlocklistPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlocklistPublisher.class);
    /** Changes published in one write: with the head that covers them, as many records as Hazelcast takes at once. */
    private static final int BATCH = ReplicatedBlocklist.MOST_RECORDS_AT_ONCE - 1;
    /** The key of the meta map's lock that a tick holds. */
    public static final String PUBLISHING = "publishing";
    static final long REPAIR_PAUSE_SECONDS = 10;
    private static final long REPORT_CHECK_MILLIS = 1_000;
    private static final long LATEST_CHECK_MILLIS = 1_000;

    private final HazelcastInstance hazelcast;
    private final ChangeSource source;
    private long reportsCheckedAt;
    /** The head this publisher last put into the cluster, and when it last checked the cluster still holds it. */
    private SignedHead lastHead;
    private long latestCheckedAt;
    private long repairedAt = Long.MIN_VALUE / 2;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "qaqpa-blocklist-publisher");
        thread.setDaemon(true);
        return thread;
    });

    public BlocklistPublisher(HazelcastInstance hazelcast, ChangeSource source) {
        this.hazelcast = hazelcast;
        this.source = source;
    }

    /** Publishes every {@code interval} from now on. */
    public BlocklistPublisher start(Duration interval) {
        ticker.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            while (publishOnce() > 0) {
                // drain the backlog before the next pause
            }
        } catch (HazelcastInstanceNotActiveException e) {
            LOG.debug("Cluster member stopped; not publishing");
        } catch (Exception e) {
            LOG.warn("Publishing the blocklist failed, will retry: {}", e.toString());
        } catch (Error e) {
            // An error thrown out of a scheduled task would end the schedule without a word.
            LOG.error("Publishing the blocklist failed, will retry", e);
        }
    }

    /**
     * Publishes the next batch if this member is the publisher and no one else is publishing;
     * returns how many changes it wrote.
     */
    int publishOnce() throws Exception {
        if (!isPublisher()) {
            return 0;
        }
        IMap<String, Long> meta = ReplicatedBlocklist.meta(hazelcast);
        if (!meta.tryLock(PUBLISHING)) {
            return 0; // another publisher is at it (a member that also took itself for the oldest)
        }
        try {
            return publishLocked();
        } finally {
            meta.unlock(PUBLISHING);
        }
    }

    private int publishLocked() throws Exception {
        Long published = ReplicatedBlocklist.publishedSerialIfComplete(hazelcast);
        if (published == null) {
            return loadWhole("the cluster holds no blocklist yet");
        }
        Optional<String> lied = liedAbout();
        if (lied.isPresent()) {
            return loadWhole(lied.get());
        }
        SignedHead head = source.head();
        if (head.serial() > published) {
            List<LoggedChange> batch = source.changesAfter(published, (int) Math.min(BATCH, head.serial() - published));
            if (batch.isEmpty()) {
                LOG.warn("The signed head is at serial {} but the change log has nothing after {}", head.serial(), published);
                return 0;
            }
            if (batch.get(0).serial() != published + 1) {
                return loadWhole("the cluster is at serial " + published + " and the database keeps changes from "
                        + batch.get(0).serial() + " on");
            }
            published = batch.get(batch.size() - 1).serial();
            // The head that covers the batch goes with it: a node reads both at once and adopts.
            List<StreamRecord> records = new ArrayList<>(batch);
            if (published == head.serial()) {
                records.add(head);
            }
            ReplicatedBlocklist.changes(hazelcast).addAllAsync(records, OverflowPolicy.OVERWRITE).toCompletableFuture().get();
            applyToEntries(batch.stream().map(LoggedChange::change).toList());
            ReplicatedBlocklist.meta(hazelcast).set(ReplicatedBlocklist.PUBLISHED_SERIAL, published);
            if (published == head.serial()) {
                ReplicatedBlocklist.heads(hazelcast).set(ReplicatedBlocklist.LATEST, head);
                lastHead = head;
                latestCheckedAt = System.currentTimeMillis();
            }
            return batch.size();
        }
        if (published == head.serial()) {
            publishHead(head);
        }
        return 0;
    }

    /**
     * Puts {@code head} after the changes it covers and as the latest, unless this publisher has
     * already; once a second it also checks that the cluster still holds it as the latest (someone
     * on the cluster port may have written another there) and puts it back if not.
     */
    private void publishHead(SignedHead head) throws Exception {
        long now = System.currentTimeMillis();
        boolean published = lastHead != null && Arrays.equals(lastHead.cms(), head.cms());
        if (published && now - latestCheckedAt < LATEST_CHECK_MILLIS) {
            return;
        }
        IMap<String, SignedHead> heads = ReplicatedBlocklist.heads(hazelcast);
        latestCheckedAt = now;
        if (published) {
            SignedHead latest = heads.get(ReplicatedBlocklist.LATEST);
            if (latest != null && Arrays.equals(latest.cms(), head.cms()) && latest.frontier().equals(head.frontier())) {
                return;
            }
        }
        ReplicatedBlocklist.changes(hazelcast).addAsync(head, OverflowPolicy.OVERWRITE).toCompletableFuture().get();
        heads.set(ReplicatedBlocklist.LATEST, head);
        lastHead = head;
    }

    /** Why the cluster must be loaded whole again: a node reports it does not verify (and no repair just ran). */
    private Optional<String> liedAbout() {
        long now = System.currentTimeMillis();
        if (now - reportsCheckedAt < REPORT_CHECK_MILLIS || now - repairedAt < REPAIR_PAUSE_SECONDS * 1_000) {
            return Optional.empty();
        }
        reportsCheckedAt = now;
        Optional<NodeStatus> tampered = hazelcast.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).values().stream()
                .filter(NodeStatus::tampered).filter(status -> status.reportedAt() > repairedAt).findFirst();
        if (tampered.isEmpty()) {
            return Optional.empty();
        }
        repairedAt = now;
        return Optional.of("node " + tampered.get().id() + " reports that the cluster's blocklist does not verify ("
                + tampered.get().detail() + ")");
    }

    /** Rewrites the cluster's map from the database's current set (see {@link ReplicatedBlocklist}). */
    private int loadWhole(String why) throws Exception {
        IMap<String, Long> meta = ReplicatedBlocklist.meta(hazelcast);
        meta.delete(ReplicatedBlocklist.PUBLISHED_SERIAL);
        meta.set(ReplicatedBlocklist.EPOCH, ReplicatedBlocklist.newEpoch(ReplicatedBlocklist.epoch(hazelcast)));
        Map<String, BlocklistChange> current = new HashMap<>();
        long serial = source.snapshot(entry -> current.put(entry.key(), BlocklistChange.adding(entry)));
        IMap<String, BlocklistChange> entries = ReplicatedBlocklist.entries(hazelcast);
        entries.clear();
        entries.putAll(current);
        meta.set(ReplicatedBlocklist.PUBLISHED_SERIAL, serial);
        ReplicatedBlocklist.changes(hazelcast).addAsync(new Reload(serial), OverflowPolicy.OVERWRITE)
                .toCompletableFuture().get();
        SignedHead head = source.head();
        if (head.serial() == serial) {
            lastHead = null; // after the reload marker, whatever was published before
            publishHead(head);
        }
        LOG.info("Loaded the cluster's blocklist whole at serial {} ({} entries): {}", serial, current.size(), why);
        return Math.max(1, current.size());
    }

    private void applyToEntries(List<BlocklistChange> batch) throws Exception {
        Map<String, BlocklistChange> last = new LinkedHashMap<>();
        batch.forEach(change -> last.put(change.key(), change));
        Map<String, BlocklistChange> added = new HashMap<>();
        List<CompletableFuture<Void>> removed = new ArrayList<>();
        IMap<String, BlocklistChange> entries = ReplicatedBlocklist.entries(hazelcast);
        for (BlocklistChange change : last.values()) {
            if (change.restricts()) {
                added.put(change.key(), change);
            } else {
                removed.add(entries.deleteAsync(change.key()).toCompletableFuture().thenApply(ignored -> null));
            }
        }
        entries.putAll(added);
        CompletableFuture.allOf(removed.toArray(CompletableFuture[]::new)).get();
    }

    private boolean isPublisher() {
        Member oldest = hazelcast.getCluster().getMembers().iterator().next();
        return oldest.localMember();
    }

    /** Stops publishing; returns once a tick under way has ended (or after 10 s). */
    @Override
    public void close() {
        ticker.shutdown();
        try {
            if (!ticker.awaitTermination(10, TimeUnit.SECONDS)) {
                ticker.shutdownNow();
            }
        } catch (InterruptedException e) {
            ticker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
