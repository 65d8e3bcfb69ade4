package kz.qaqpa.blocklist.replica;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.StaleSequenceException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import kz.qaqpa.blocklist.dns.BlocklistView;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filtering node's copy of the blocklist, kept in step with the cluster.
 *
 * <p>Start: read the published serial S (waiting while there is none: the map is being loaded
 * whole), copy the entries map — and start again if the map was reloaded meanwhile — then replay the ringbuffer's changes
 * after S in order up to its tail T. The publisher writes the ringbuffer before the map, so every
 * effect the copy holds has its change at or before T; replaying (S, T] over the copy therefore
 * gives exactly the state at T. If the ringbuffer no longer holds S+1 (overwritten meanwhile), the
 * node starts again.
 *
 * <p>Follow: read changes in ringbuffer order and apply them strictly by serial — skip one already
 * applied (a republished batch), apply the next, and treat a later one as a gap: reload. Changes go
 * into the node's own copy of the entries; once the node has caught up (or has held a backlog back
 * for {@code MAX_UNSWAPPED_NANOS}) a new matcher is built from the copy and swapped in whole, so a
 * backlog costs one build, not one per batch read, and queries see the old state or the new one,
 * never a half-applied one. The new matcher is the last one built whole with an overlay of the
 * domain names changed since, as long as those are few (a quarter of the list, at least 4,096): a
 * swap then costs what changed, not the whole list. A change of another kind (URL, address), a
 * reload, or an overlay grown past that size, and the matcher is built whole again. Until the first consistent
 * state the view is empty, and the DNS node answers REFUSED. When the cluster cannot be reached the
 * node keeps answering from its last state and retries.
 */
public final class BlocklistReplica implements BlocklistView, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlocklistReplica.class);
    private static final int READ_BATCH = 1_000;
    /** The longest a backlog is applied to the node's copy before queries see it. */
    private static final long MAX_UNSWAPPED_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final HazelcastInstance hazelcast;
    private final String nodeId;
    private volatile String address = "";
    private final AtomicReference<Optional<Matcher>> current = new AtomicReference<>(Optional.empty());
    private final CountDownLatch consistent = new CountDownLatch(1);
    private final Map<String, BlocklistChange> entries = new HashMap<>();
    /** The matcher last built whole from the entries; null until the first, and after a reload. */
    private Matcher builtWhole;
    /** Domain names changed since then → the keys that changed, {exact, subtree}, null where that kind did not. */
    private final Map<String, String[]> changedDomains = new HashMap<>();
    /** Whether a change other than a domain's came since then: the overlay cannot express it. */
    private boolean otherKindsChanged;
    private final Thread follower;
    private volatile boolean running = true;
    private volatile long appliedSerial;
    /** The serial the node's own copy of the entries has reached; ahead of appliedSerial while a backlog is read. */
    private long entriesSerial;
    private long unswappedSince;
    private long nextSequence;
    /** The epoch of the cluster's blocklist the node's copy was loaded from. */
    private long loadedEpoch;
    private boolean loaded;
    private boolean waitLogged;
    private CompletableFuture<ReadResultSet<StreamRecord>> pendingRead;

    public BlocklistReplica(HazelcastInstance hazelcast, String nodeId) {
        this.hazelcast = hazelcast;
        this.nodeId = nodeId;
        this.follower = new Thread(this::follow, "qaqpa-blocklist-replica");
        this.follower.setDaemon(true);
    }

    /**
     * Starts following the cluster. Until the first consistent state {@link #current()} stays empty,
     * so a DNS service may be bound to this view before it starts.
     *
     * @param dnsAddress where this node answers DNS, as reported to the cluster
     */
    public BlocklistReplica start(String dnsAddress) {
        this.address = dnsAddress;
        follower.start();
        return this;
    }

    @Override
    public Optional<Matcher> current() {
        return current.get();
    }

    /** Waits at most {@code timeout} for the first consistent state; whether there is one. */
    public boolean awaitConsistent(Duration timeout) throws InterruptedException {
        return consistent.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The serial of the state the node enforces; 0 before the first. */
    @Override
    public long serial() {
        return appliedSerial();
    }

    public long appliedSerial() {
        return appliedSerial;
    }

    private void follow() {
        while (running) {
            try {
                if (!loaded) {
                    loadSnapshot();
                }
                readNext();
            } catch (Gap gap) {
                LOG.info("Node {} missed changes ({}); reloading a snapshot", nodeId, gap.getMessage());
                loaded = false;
                pendingRead = null;
            } catch (NotPublished e) {
                if (!waitLogged) {
                    LOG.info("Node {} waits: {}; answering from serial {}", nodeId, e.getMessage(), appliedSerial);
                    waitLogged = true;
                }
                pause(100);
            } catch (InterruptedException e) {
                return;
            } catch (HazelcastInstanceNotActiveException e) {
                LOG.warn("Node {}: cluster connection closed; answering from serial {}", nodeId, appliedSerial);
                return;
            } catch (Exception e) {
                if (!running || e.getCause() instanceof HazelcastInstanceNotActiveException) {
                    return; // closing, or the cluster instance stopped under a pending read
                }
                LOG.warn("Node {} cannot read the cluster ({}); answering from serial {}", nodeId, e.toString(), appliedSerial);
                pendingRead = null;
                pause(1_000); // back off before retrying an unreachable cluster
            }
        }
    }

    private void loadSnapshot() throws Exception {
        long epoch = ReplicatedBlocklist.epoch(hazelcast);
        Long published = ReplicatedBlocklist.publishedSerialIfComplete(hazelcast);
        if (published == null) {
            throw new NotPublished("the cluster's blocklist is being loaded");
        }
        long snapshotSerial = published;
        Map<String, BlocklistChange> copy = new HashMap<>(ReplicatedBlocklist.entries(hazelcast));
        if (ReplicatedBlocklist.epoch(hazelcast) != epoch) {
            throw new NotPublished("the cluster's blocklist was reloaded while it was copied");
        }
        Ringbuffer<StreamRecord> changes = ReplicatedBlocklist.changes(hazelcast);
        long tail = changes.tailSequence();
        long sequence = changes.headSequence();
        long serial = snapshotSerial;
        while (sequence <= tail) {
            ReadResultSet<StreamRecord> batch = changes.readManyAsync(sequence, 0, readBatch(changes), null)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (StreamRecord record : batch) {
                if (record.serial() > serial) {
                    if (record.serial() != serial + 1 || !(record instanceof BlocklistChange change)) {
                        throw new Gap("snapshot at " + snapshotSerial + ", ringbuffer continues at " + record.serial());
                    }
                    apply(copy, change);
                    serial = change.serial();
                }
            }
            if (batch.size() == 0) {
                break;
            }
            sequence = batch.getNextSequenceToReadFrom();
        }
        entries.clear();
        entries.putAll(copy);
        loadedEpoch = epoch;
        builtWhole = null;
        nextSequence = tail + 1;
        entriesSerial = serial;
        swapIn(serial);
        loaded = true;
        LOG.info("Node {} loaded the blocklist at serial {} ({} entries)", nodeId, serial, entries.size());
    }

    private void readNext() throws Exception {
        Ringbuffer<StreamRecord> changes = ReplicatedBlocklist.changes(hazelcast);
        if (pendingRead == null) {
            // With changes applied but not yet swapped in, only ask for what is there already.
            int atLeast = entriesSerial > appliedSerial ? 0 : 1;
            pendingRead = changes.readManyAsync(nextSequence, atLeast, readBatch(changes), null).toCompletableFuture();
        }
        ReadResultSet<StreamRecord> batch;
        try {
            batch = pendingRead.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // Quiet for a second. A read can wait for ever in a ringbuffer that is not the one the
            // node loaded from: the whole cluster was replaced (restarted) under it, or its side of
            // a split brain was merged into the other. Either shows as another epoch.
            if (ReplicatedBlocklist.epoch(hazelcast) != loadedEpoch) {
                pendingRead.cancel(true);
                throw new Gap("the cluster's blocklist is not the one loaded: the cluster was replaced or merged");
            }
            report();
            return;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StaleSequenceException) {
                throw new Gap("changes after sequence " + nextSequence + " were overwritten");
            }
            if (e.getCause() instanceof IllegalArgumentException && nextSequence > changes.tailSequence() + 1) {
                throw new Gap("the cluster's changes end before sequence " + nextSequence + ": the cluster was replaced");
            }
            throw e;
        } finally {
            if (pendingRead != null && pendingRead.isDone()) {
                pendingRead = null;
            }
        }
        long serial = entriesSerial;
        for (StreamRecord record : batch) {
            if (record.serial() <= serial) {
                continue; // republished by a publisher that failed over
            }
            if (!(record instanceof BlocklistChange change)) {
                throw new Gap("the cluster's blocklist was loaded whole at serial " + record.serial());
            }
            if (change.serial() != serial + 1) {
                throw new Gap("applied " + serial + ", next change is " + change.serial());
            }
            apply(entries, change);
            noteChanged(change);
            serial = change.serial();
        }
        if (serial > entriesSerial && entriesSerial == appliedSerial) {
            unswappedSince = System.nanoTime();
        }
        entriesSerial = serial;
        nextSequence = batch.getNextSequenceToReadFrom();
        // One matcher for a backlog, not one per batch read: swap in once caught up (a read found
        // fewer changes than it could take), or when the backlog has been held back long enough.
        boolean caughtUp = batch.size() < readBatch(changes);
        if (entriesSerial > appliedSerial && (caughtUp || System.nanoTime() - unswappedSince > MAX_UNSWAPPED_NANOS)) {
            swapIn(entriesSerial);
        }
    }


    /** Hazelcast reads at most a ringbuffer's capacity at once. */
    private static int readBatch(Ringbuffer<StreamRecord> changes) {
        return (int) Math.min(READ_BATCH, changes.capacity());
    }

    private static void apply(Map<String, BlocklistChange> entries, BlocklistChange change) {
        if (change.restricts()) {
            entries.put(change.key(), change);
        } else {
            entries.remove(change.key());
        }
    }

    private void noteChanged(BlocklistChange change) {
        switch (change.kind()) {
            case DOMAIN -> changedDomains.computeIfAbsent(change.value(), name -> new String[2])
                    [change.includeSubdomains() ? 1 : 0] = change.key();
            case URL, IP, CIDR -> otherKindsChanged = true;
            case APP -> {
                // Applications are enforced elsewhere, not by name or address.
            }
        }
    }

    /** Makes the matcher of the entries at {@code serial} the one queries see. */
    private void swapIn(long serial) {
        Matcher next;
        if (builtWhole == null || otherKindsChanged || changedDomains.size() > Math.max(4_096, builtWhole.domainCount() / 4)) {
            builtWhole = buildWhole();
            changedDomains.clear();
            otherKindsChanged = false;
            next = builtWhole;
        } else {
            next = builtWhole.withDomainOverlay(overlay());
        }
        current.set(Optional.of(next));
        appliedSerial = serial;
        consistent.countDown();
        report();
    }

    /** The changed domain names as they are now: each replaces its entry in the matcher built whole. */
    private Matcher overlay() {
        Matcher.Builder builder = Matcher.builder();
        changedDomains.forEach((name, keys) -> {
            String[] asBuilt = builtWhole.domainDirectives(name);
            builder.removeDomain(name);
            for (int kind = 0; kind < 2; kind++) {
                String directive = asBuilt[kind];
                if (keys[kind] != null) {
                    BlocklistChange now = entries.get(keys[kind]);
                    directive = now == null ? null : now.directive();
                }
                if (directive != null) {
                    builder.addDomain(name, kind == 1, directive);
                }
            }
        });
        return builder.build();
    }

    private Matcher buildWhole() {
        Matcher.Builder builder = Matcher.builder();
        for (BlocklistChange entry : entries.values()) {
            switch (entry.kind()) {
                case DOMAIN -> builder.addDomain(entry.value(), entry.includeSubdomains(), entry.directive());
                case URL -> entry.host().ifPresent(host -> builder.addUrlHost(host, entry.directive()));
                case IP -> address(entry.value()).ifPresent(bytes -> builder.addNetwork(bytes, bytes.length * 8, entry.directive()));
                case CIDR -> {
                    int slash = entry.value().indexOf('/');
                    address(entry.value().substring(0, slash)).ifPresent(bytes -> builder.addNetwork(bytes,
                            Integer.parseInt(entry.value().substring(slash + 1)), entry.directive()));
                }
                case APP -> {
                    // Applications are enforced elsewhere, not by name or address.
                }
            }
        }
        return builder.build();
    }

    private static Optional<byte[]> address(String literal) {
        try {
            // A normalised literal: parsed, never looked up.
            return Optional.of(InetAddress.getByName(literal).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private void report() {
        try {
            hazelcast.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).set(nodeId,
                    new NodeStatus(nodeId, address, appliedSerial, current.get().isPresent(), System.currentTimeMillis()));
        } catch (RuntimeException e) {
            LOG.debug("Node {} cannot report its status: {}", nodeId, e.toString());
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        follower.interrupt();
    }

    private static final class Gap extends Exception {
        Gap(String message) {
            super(message, null, false, false);
        }
    }

    private static final class NotPublished extends Exception {
        NotPublished(String message) {
            super(message, null, false, false);
        }
    }
}
