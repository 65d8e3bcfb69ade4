package kz.qaqpa.blocklist.replica;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.StaleSequenceException;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import kz.qaqpa.blocklist.matcher.BlocklistView;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.LoggedChange;
import kz.qaqpa.blocklist.model.Reload;
import kz.qaqpa.blocklist.model.SignedHead;
import kz.qaqpa.blocklist.model.SnapshotSource;
import kz.qaqpa.blocklist.model.StreamRecord;
import kz.qaqpa.blocklist.model.log.Frontier;
import kz.qaqpa.blocklist.model.log.GatewaySignature;
import kz.qaqpa.blocklist.model.log.Merkle;
import kz.qaqpa.blocklist.model.log.Receipt;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import kz.qaqpa.blocklist.model.log.SetHash;
import kz.qaqpa.blocklist.model.log.TreeHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filtering node's copy of the blocklist, kept in step with the cluster — and adopted only when
 * the gateway's signed tree head vouches for it. The cluster is an untrusted transport: anyone who
 * reaches its port can write to it, so nothing read from it is enforced until it verifies.
 *
 * <p>Verify, then adopt. The node keeps its copy of the entries together with the Merkle log's
 * right edge ({@link Frontier}) and the set's {@link SetHash} at the copy's serial, and moves all
 * three with every change it applies. A {@link SignedHead} in the stream at that serial is checked —
 * signed by the gateway's certificate (pinned by configuration, never learned from the cluster),
 * its edge giving its root — and only when the copy's root and set hash are the ones the head
 * states is a matcher built from the copy and swapped in. So queries see a state the gateway
 * committed, or the last one that was; never a half-applied one, never one the cluster made up.
 * A forged, reordered, removed or skipped change, a snapshot with an entry taken out or put in,
 * a head not signed by the gateway: each shows as a mismatch, the node reports
 * {@link NodeStatus.State#TAMPERED}, keeps enforcing its last verified state, and starts again
 * from a snapshot (which the publisher rewrites when a node reports it does not verify).
 *
 * <p>Start: read the published serial (waiting while there is none: the map is being loaded
 * whole) and the latest signed head at serial H, copy the entries map — and start again if the
 * map was reloaded meanwhile — then replay the ringbuffer's changes after H in order up to its
 * tail T, extending the head's edge with their leaves. The publisher writes the ringbuffer before
 * the map, so every effect the copy holds has its change at or before T; replaying (H, T] over the
 * copy therefore gives exactly the state at T, which is adopted once the head at T verifies it.
 * If the ringbuffer no longer holds H+1 (overwritten meanwhile), the node starts again.
 *
 * <p>Follow: read records in ringbuffer order and apply changes strictly by serial — skip one
 * already applied (a republished batch), apply the next, and treat a later one as a gap: reload.
 * Changes go into the node's own copy; a head at the copy's serial adopts it, so a backlog costs
 * one matcher build, at the head after it. The new matcher is the last one built whole with an
 * overlay of the domain names changed since, as long as those are few (a quarter of the list, at
 * least 4,096): a swap then costs what changed, not the whole list. Each overlay is a copy of
 * the last one with the names of the latest changes laid on it, as the copy has them now; nothing
 * else records which names changed. A change of another kind (URL, address), a reload, or an overlay
 * grown past that size, and the matcher is built whole again.
 *
 * <p>Freshness. The gateway signs a head anew every {@code sth-interval} even when nothing changes;
 * once the last verified head has expired ({@code max-staleness} after it was signed) the node
 * reports {@link NodeStatus.State#STALE} and goes on enforcing that state: it never lifts a
 * restriction it cannot see lifted. Until the first verified state the view is empty, and the DNS
 * node answers REFUSED. When the cluster cannot be reached the node keeps answering from its last
 * state and retries.
 *
 * <p>Another way. A node given a {@link SnapshotSource} (the gateway's HTTP feed) turns to it while
 * the cluster lies ({@code TAMPERED}) or has gone quiet past a head's expiry ({@code STALE}) — after
 * {@value #FALLBACK_PAUSE_MILLIS} ms, doubling up to {@value #FALLBACK_PAUSE_MOST_MILLIS} ms while it
 * has nothing newer (each turn reads its whole copy): a head from it is checked like one from the cluster,
 * adopted only when it is newer than what the node enforces (or as old and fresher), and its
 * entries only when they give the head's set hash. So a process on the cluster port can no longer
 * hold back a new restriction; the node still reports what the cluster does, and goes back to the
 * cluster once it verifies again.
 */
public final class BlocklistReplica implements BlocklistView, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlocklistReplica.class);
    /** About how many of the cluster's entries a whole copy reads at once. */
    private static final int COPY_PART = 50_000;
    /** How long a node that was lied to waits before it tries the cluster again: doubling, up to the most. */
    private static final long TAMPERED_RETRY_MILLIS = 250;
    private static final long TAMPERED_RETRY_MOST_MILLIS = 8_000;
    /** How long a node waits between turns to its other source while the cluster does not verify: doubling, up to the most. */
    static final long FALLBACK_PAUSE_MILLIS = 2_000;
    static final long FALLBACK_PAUSE_MOST_MILLIS = 16_000;

    private final HazelcastInstance hazelcast;
    private final String nodeId;
    private final X509Certificate gateway;
    private final ReceiptKey key;
    private final Clock clock;
    private final Optional<SnapshotSource> fallback;
    private long fallbackAt = Long.MIN_VALUE / 2;
    private long fallbackPause = FALLBACK_PAUSE_MILLIS;
    private volatile String address = "";
    private final AtomicReference<Optional<Matcher>> current = new AtomicReference<>(Optional.empty());
    private final CountDownLatch consistent = new CountDownLatch(1);
    private EntryTable entries = new EntryTable();
    /** The log's right edge and the set's hash at entriesSerial, moved with the entries. */
    private Frontier frontier = Frontier.empty();
    private SetHash set = SetHash.empty();
    /** The matcher last built whole from the entries; null until the first, and after a reload. */
    private Matcher builtWhole;
    /**
     * The domain names changed since then, as they are now, laid over it; null when none changed.
     * It is the record of which names changed, too: the next overlay holds its names and those
     * changed since, with no map of them kept beside it.
     */
    private Matcher overlay;
    /** Domain names changed since the last swap, not yet in {@link #overlay}. */
    private final Set<String> changedSinceSwap = new HashSet<>();
    /** Whether a change other than a domain's came since then: the overlay cannot express it. */
    private boolean otherKindsChanged;
    private final Thread follower;
    private volatile boolean running = true;
    private volatile long appliedSerial;
    /** The head that vouches for the state queries see; null before the first. */
    private volatile TreeHead verified;
    private volatile NodeStatus.State state = NodeStatus.State.STARTING;
    private volatile String detail = "";
    /** The serial the node's own copy of the entries has reached; ahead of appliedSerial while a backlog is read. */
    private long entriesSerial;
    private long nextSequence;
    /** The epoch of the cluster's blocklist the node's copy was loaded from. */
    private long loadedEpoch;
    private boolean loaded;
    private boolean waitLogged;
    /** Whether the node said it holds changes no head covers, since it last adopted a state. */
    private boolean uncoveredLogged;
    private long tamperedRetry = TAMPERED_RETRY_MILLIS;
    private CompletableFuture<ReadResultSet<StreamRecord>> pendingRead;

    /**
     * @param gateway the certificate whose signed heads the node adopts — from its configuration
     * @param key     the node's own key, which signs its receipts
     * @param clock   for the heads' expiry
     */
    public BlocklistReplica(HazelcastInstance hazelcast, String nodeId, X509Certificate gateway, ReceiptKey key, Clock clock) {
        this(hazelcast, nodeId, gateway, key, clock, Optional.empty());
    }

    /** @param fallback where to fetch the list when the cluster does not give one that verifies */
    public BlocklistReplica(HazelcastInstance hazelcast, String nodeId, X509Certificate gateway, ReceiptKey key, Clock clock,
                            Optional<SnapshotSource> fallback) {
        this.fallback = fallback;
        this.hazelcast = hazelcast;
        this.nodeId = nodeId;
        this.gateway = gateway;
        this.key = key;
        this.clock = clock;
        this.follower = new Thread(this::follow, "qaqpa-blocklist-replica");
        this.follower.setDaemon(true);
    }

    /**
     * Starts following the cluster. Until the first verified state {@link #current()} stays empty,
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

    /** Waits at most {@code timeout} for the first verified state; whether there is one. */
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

    /** How the node's state stands against the gateway's signed heads. */
    public NodeStatus.State state() {
        return state;
    }

    /** What the node found when it is not {@link NodeStatus.State#VERIFIED}. */
    public String detail() {
        return detail;
    }

    /** The signed head that vouches for the state it enforces. */
    public Optional<TreeHead> verifiedHead() {
        return Optional.ofNullable(verified);
    }

    private void follow() {
        while (running) {
            try {
                if (!loaded) {
                    loadSnapshot();
                }
                readNext();
                checkFreshness();
            } catch (Gap gap) {
                LOG.info("Node {} missed changes ({}); reloading a snapshot", nodeId, gap.getMessage());
                loaded = false;
                pendingRead = null;
            } catch (Tampered lie) {
                if (state != NodeStatus.State.TAMPERED || !detail.equals(lie.getMessage())) {
                    LOG.error("Node {}: the cluster's blocklist does not verify ({}); enforcing serial {} as verified, "
                            + "starting again from a snapshot", nodeId, lie.getMessage(), appliedSerial);
                }
                moveTo(NodeStatus.State.TAMPERED, lie.getMessage());
                loaded = false;
                pendingRead = null;
                pause(tamperedRetry);
                tamperedRetry = Math.min(2 * tamperedRetry, TAMPERED_RETRY_MOST_MILLIS);
            } catch (NotPublished e) {
                if (!waitLogged) {
                    LOG.info("Node {} waits: {}; answering from serial {}", nodeId, e.getMessage(), appliedSerial);
                    waitLogged = true;
                }
                checkFreshness();
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
                checkFreshness();
                pause(1_000); // back off before retrying an unreachable cluster
            }
            if (state == NodeStatus.State.TAMPERED || state == NodeStatus.State.STALE) {
                fallBack();
            }
        }
    }

    /**
     * Takes the list from the other source, when there is one and it has something newer than what
     * the node enforces: checked as strictly as the cluster's; anything less is logged and ignored.
     */
    private void fallBack() {
        long now = System.currentTimeMillis();
        if (fallback.isEmpty() || now - fallbackAt < fallbackPause) {
            return;
        }
        fallbackAt = now;
        fallbackPause = Math.min(2 * fallbackPause, FALLBACK_PAUSE_MOST_MILLIS); // until it gives something newer
        try {
            byte[] cms = fallback.get().refresh();
            TreeHead head = GatewaySignature.treeHead(cms, gateway).orElseThrow(() -> new Tampered(
                    "its tree head is not signed by the gateway's certificate"));
            TreeHead held = verified;
            if (held != null && (head.treeSize() < held.treeSize()
                    || head.treeSize() == held.treeSize() && !head.timestamp().isAfter(held.timestamp()))) {
                return; // nothing newer than what the node enforces
            }
            if (held != null && head.treeSize() == held.treeSize() && head.setHash().equals(held.setHash())
                    && head.rootHash().equals(held.rootHash())) {
                verified = head; // the same state, vouched for afresh
            } else {
                EntryTable copy = new EntryTable();
                fallback.get().entries(entry -> copy.apply(BlocklistChange.adding(entry)));
                copy.trim();
                SetHash fetched = setOf(copy);
                if (!fetched.digest().equals(head.setHash())) {
                    throw new Tampered("its entries at serial " + head.treeSize() + " are not the set the gateway signed");
                }
                entries = copy;
                set = fetched;
                frontier = Frontier.empty(); // not known: the cluster's next head brings it (a whole load follows)
                entriesSerial = head.treeSize();
                builtWhole = null;
                loaded = false;
                pendingRead = null;
                verified = head;
                swapIn(entriesSerial);
            }
            fallbackPause = FALLBACK_PAUSE_MILLIS;
            LOG.warn("Node {}: the cluster's blocklist does not verify or has stopped; enforcing serial {} as the gateway "
                    + "signed it, taken from its feed", nodeId, head.treeSize());
            checkFreshness(); // STALE → VERIFIED when the head is fresh; TAMPERED stays: the cluster still lies
            report();
        } catch (Tampered lie) {
            LOG.error("Node {}: the gateway's feed does not verify either ({}); enforcing serial {}", nodeId,
                    lie.getMessage(), appliedSerial);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (Exception e) {
            LOG.warn("Node {} cannot take the list from the gateway's feed ({}); enforcing serial {}", nodeId, e.toString(),
                    appliedSerial);
        }
    }

    private void loadSnapshot() throws Exception {
        long epoch = ReplicatedBlocklist.epoch(hazelcast);
        if (ReplicatedBlocklist.publishedSerialIfComplete(hazelcast) == null) {
            throw new NotPublished("the cluster's blocklist is being loaded");
        }
        SignedHead latest = ReplicatedBlocklist.heads(hazelcast).get(ReplicatedBlocklist.LATEST);
        if (latest == null) {
            throw new NotPublished("the cluster holds no signed tree head yet");
        }
        TreeHead head = check(latest);
        if (head.treeSize() < appliedSerial) {
            throw new Tampered("the cluster's latest head is at serial " + head.treeSize()
                    + ", older than the serial " + appliedSerial + " already verified: a rollback");
        }
        Frontier edge = Frontier.decode(latest.serial(), latest.frontier());
        // Keyed by what each entry is, not by the key it was filed under: a map's keys are claims too.
        // Read a part at a time, into the compact copy: never the whole map's values at once. The
        // old copy goes first: queries are answered by the matcher, and nothing reads the copy of a
        // node that is not loaded, so the node never holds two.
        entries = new EntryTable();
        builtWhole = null;
        EntryTable copy = new EntryTable();
        ReplicatedBlocklist.readEntries(hazelcast, COPY_PART, copy::apply);
        copy.trim();
        if (ReplicatedBlocklist.epoch(hazelcast) != epoch) {
            throw new NotPublished("the cluster's blocklist was reloaded while it was copied");
        }
        Ringbuffer<StreamRecord> changes = ReplicatedBlocklist.changes(hazelcast);
        long tail = changes.tailSequence();
        long sequence = changes.headSequence();
        // What came after the head, since the last whole load: what came before a reload marker is
        // not part of the map's history (a whole load starts it again).
        List<StreamRecord> after = new ArrayList<>();
        while (sequence <= tail) {
            ReadResultSet<StreamRecord> batch = read(changes.readManyAsync(sequence, 0, readBatch(changes), null)
                    .toCompletableFuture(), 10);
            for (StreamRecord record : batch) {
                if (record instanceof Reload) {
                    after.clear();
                } else if (record.serial() > head.treeSize()) {
                    after.add(record);
                }
            }
            if (batch.size() == 0) {
                break;
            }
            sequence = batch.getNextSequenceToReadFrom();
        }
        long serial = head.treeSize();
        SignedHead headAtEnd = latest;
        for (StreamRecord record : after) {
            if (record instanceof SignedHead later) {
                if (later.serial() > serial) {
                    throw new Gap("the stream has a head at " + later.serial() + " but its changes end at " + serial);
                }
                headAtEnd = later;
            } else if (record instanceof LoggedChange change && change.serial() > serial) {
                if (change.serial() != serial + 1) {
                    throw new Gap("snapshot at " + head.treeSize() + ", ringbuffer continues at " + change.serial());
                }
                copy.apply(change.change());
                edge.append(leafHash(change));
                serial = change.serial();
            }
        }
        entries = copy;
        frontier = edge;
        set = setOf(copy);
        loadedEpoch = epoch;
        builtWhole = null;
        nextSequence = tail + 1;
        entriesSerial = serial;
        loaded = true;
        if (headAtEnd.serial() == serial) {
            adopt(check(headAtEnd));
        }
        LOG.info("Node {} loaded the blocklist at serial {} ({} entries){}", nodeId, serial, entries.size(),
                appliedSerial == serial ? ", verified" : "; adopted once the head at that serial verifies it");
    }

    private void readNext() throws Exception {
        Ringbuffer<StreamRecord> changes = ReplicatedBlocklist.changes(hazelcast);
        if (pendingRead == null) {
            pendingRead = changes.readManyAsync(nextSequence, 1, readBatch(changes), null).toCompletableFuture();
        }
        ReadResultSet<StreamRecord> batch;
        try {
            batch = read(pendingRead, 1);
        } catch (TimeoutException e) {
            // Quiet for a second. A read can wait for ever in a ringbuffer that is not the one the
            // node loaded from: the whole cluster was replaced (restarted) under it, or its side of
            // a split brain was merged into the other. Either shows as another epoch.
            if (ReplicatedBlocklist.epoch(hazelcast) != loadedEpoch) {
                pendingRead.cancel(true);
                throw new Gap("the cluster's blocklist is not the one loaded: the cluster was replaced or merged");
            }
            if (entriesSerial > appliedSerial && !uncoveredLogged) {
                LOG.warn("Node {} holds changes up to serial {} that no signed head has covered yet; enforcing serial {}",
                        nodeId, entriesSerial, appliedSerial);
                uncoveredLogged = true;
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
        for (StreamRecord record : batch) {
            if (record instanceof LoggedChange change) {
                if (change.serial() <= entriesSerial) {
                    continue; // republished by a publisher that failed over
                }
                if (change.serial() != entriesSerial + 1) {
                    throw new Gap("applied " + entriesSerial + ", next change is " + change.serial());
                }
                String before = entries.apply(change.change());
                frontier.append(leafHash(change));
                moveSet(before, change.change());
                noteChanged(change.change());
                entriesSerial = change.serial();
            } else if (record instanceof SignedHead head) {
                if (head.serial() > entriesSerial) {
                    check(head); // a forged head is a lie; a genuine one ahead of the changes, a gap
                    throw new Gap("a head at serial " + head.serial() + " follows changes that end at " + entriesSerial);
                }
                TreeHead signed = check(head);
                if (head.serial() < entriesSerial) {
                    // The gateway never signs a head after changes it does not cover.
                    throw new Tampered("a signed head at serial " + head.serial() + " follows changes up to serial "
                            + entriesSerial + " that no signed head covers");
                }
                adopt(signed);
            } else {
                throw new Gap("the cluster's blocklist was loaded whole at serial " + record.serial());
            }
        }
        nextSequence = batch.getNextSequenceToReadFrom();
    }

    /**
     * The head's claims checked: signed by the gateway, stating the size it is filed under, its
     * edge giving its root. Its age is not checked here: an expired head still vouches for the
     * state it names (see {@link #checkFreshness}).
     */
    private TreeHead check(SignedHead claimed) throws Tampered {
        TreeHead head = GatewaySignature.treeHead(claimed.cms(), gateway).orElseThrow(() -> new Tampered(
                "a tree head at serial " + claimed.serial() + " is not signed by the gateway's certificate"));
        if (head.treeSize() != claimed.serial()) {
            throw new Tampered("a head signed for serial " + head.treeSize() + " is filed under serial " + claimed.serial());
        }
        try {
            if (!Arrays.equals(Frontier.decode(head.treeSize(), claimed.frontier()).root(), head.root())) {
                throw new Tampered("the log's edge sent with the head at serial " + head.treeSize() + " does not give its root");
            }
        } catch (IllegalArgumentException e) {
            throw new Tampered("the log's edge sent with the head at serial " + head.treeSize() + " is malformed");
        }
        return head;
    }

    /** Adopts the copy at {@code head}'s serial if its root and set hash are the head's; a lie otherwise. */
    private void adopt(TreeHead head) throws Tampered {
        if (frontier.size() != head.treeSize() || !Arrays.equals(frontier.root(), head.root())) {
            throw new Tampered("the changes up to serial " + head.treeSize() + " do not give the root the gateway signed");
        }
        if (!set.digest().equals(head.setHash())) {
            throw new Tampered("the set at serial " + head.treeSize() + " is not the set the gateway signed");
        }
        TreeHead before = verified;
        verified = head;
        uncoveredLogged = false;
        waitLogged = false;
        if (appliedSerial != entriesSerial || current.get().isEmpty() || builtWhole == null) {
            swapIn(entriesSerial);
        }
        if (before == null || state != NodeStatus.State.VERIFIED || !head.isValidAt(clock.instant())) {
            checkFreshness();
        }
        if (state == NodeStatus.State.TAMPERED || state == NodeStatus.State.STARTING) {
            moveTo(NodeStatus.State.VERIFIED, "");
            checkFreshness(); // an expired head vouches for the state, and the node says it is stale
        }
        tamperedRetry = TAMPERED_RETRY_MILLIS;
    }

    /** STALE once the verified head has expired, VERIFIED again when a fresh one verifies. */
    private void checkFreshness() {
        TreeHead head = verified;
        if (head == null || state == NodeStatus.State.TAMPERED) {
            return;
        }
        boolean fresh = head.isValidAt(clock.instant());
        if (!fresh && state != NodeStatus.State.STALE) {
            LOG.warn("Node {}: its latest signed head (serial {}) expired at {}; enforcing that state until a newer one "
                    + "verifies", nodeId, head.treeSize(), head.expires());
            moveTo(NodeStatus.State.STALE, "the latest signed head expired at " + head.expires());
        } else if (fresh && state != NodeStatus.State.VERIFIED) {
            moveTo(NodeStatus.State.VERIFIED, "");
        }
    }

    private void moveTo(NodeStatus.State next, String why) {
        boolean changed = state != next || !detail.equals(why);
        state = next;
        detail = why;
        if (changed) {
            report();
        }
    }

    private static byte[] leafHash(LoggedChange change) throws Tampered {
        try {
            return change.leaf().hash();
        } catch (IllegalArgumentException e) {
            throw new Tampered("a change at serial " + change.serial() + " can be no leaf of the log: " + e.getMessage());
        }
    }

    /** Moves the set hash past {@code change}; {@code before} is the directive of the entry it replaced, null if none. */
    private void moveSet(String before, BlocklistChange change) {
        if (before != null) {
            set.remove(change.key(), before);
        }
        if (change.restricts()) {
            set.add(change.key(), change.directive());
        }
    }

    /** A read's answer, or why it failed: a record that cannot be read is the cluster's lie, not the node's fault. */
    private static ReadResultSet<StreamRecord> read(CompletableFuture<ReadResultSet<StreamRecord>> pending, long seconds)
            throws Exception {
        try {
            return pending.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof HazelcastSerializationException) {
                    throw new Tampered("the stream holds a record that is not one: " + cause.getMessage());
                }
            }
            throw e;
        }
    }

    /** Hazelcast reads at most a ringbuffer's capacity at once. */
    private static int readBatch(Ringbuffer<StreamRecord> changes) {
        return (int) Math.min(ReplicatedBlocklist.MOST_RECORDS_AT_ONCE, changes.capacity());
    }

    private static SetHash setOf(EntryTable table) {
        SetHash set = SetHash.empty();
        table.forEach(set::add);
        return set;
    }

    private void noteChanged(BlocklistChange change) {
        switch (change.kind()) {
            case DOMAIN -> changedSinceSwap.add(change.value());
            case URL, IP, CIDR -> otherKindsChanged = true;
            case APP -> {
                // Applications are enforced elsewhere, not by name or address.
            }
        }
    }

    /** Makes the matcher of the entries at {@code serial} the one queries see. */
    private void swapIn(long serial) {
        Matcher next;
        int changed = (overlay == null ? 0 : overlay.domainCount()) + changedSinceSwap.size(); // at most
        if (builtWhole == null || otherKindsChanged || changed > Math.max(4_096, builtWhole.domainCount() / 4)) {
            overlay = null;
            builtWhole = buildWhole();
            otherKindsChanged = false;
            next = builtWhole;
        } else {
            overlay = nextOverlay();
            next = builtWhole.withDomainOverlay(overlay);
        }
        changedSinceSwap.clear();
        current.set(Optional.of(next));
        appliedSerial = serial;
        consistent.countDown();
        report();
    }

    /**
     * The domain names changed since the matcher was built whole: the last overlay as it is, and
     * the names changed since it was made as the entries have them now, each replacing its entry
     * in the matcher built whole, both kinds of it (a kind that did not change reads back as it
     * was built). Starting from a copy of the last overlay, a swap costs the changes since, not
     * every change since the matcher was built whole again.
     */
    private Matcher nextOverlay() {
        Matcher.Builder builder = overlay == null ? Matcher.builder() : Matcher.builder(overlay);
        for (String name : changedSinceSwap) {
            builder.removeDomain(name);
            for (boolean subtree : new boolean[] {false, true}) {
                String directive = entries.directive(BlocklistKey.domain(name, subtree));
                if (directive != null) {
                    builder.addDomain(name, subtree, directive);
                }
            }
        }
        return builder.build();
    }

    private Matcher buildWhole() {
        // Sized beforehand: the new matcher's arrays are allocated once, beside the one queries still use.
        Matcher.Builder builder = Matcher.builder(entries.domainKeys(), entries.domainOctets());
        entries.forEach((key, directive) -> {
            BlocklistKey.Target entry = BlocklistKey.parse(key);
            switch (entry.kind()) {
                case DOMAIN -> builder.addDomain(entry.value(), entry.includeSubdomains(), directive);
                case URL -> entries.host(key).ifPresent(host -> builder.addUrl(entry.value(), host, directive));
                case IP -> address(entry.value()).ifPresent(bytes -> builder.addNetwork(bytes, bytes.length * 8, directive));
                case CIDR -> {
                    int slash = entry.value().indexOf('/');
                    address(entry.value().substring(0, slash)).ifPresent(bytes -> builder.addNetwork(bytes,
                            Integer.parseInt(entry.value().substring(slash + 1)), directive));
                }
                case APP -> {
                    // Applications are enforced elsewhere, not by name or address.
                }
            }
        });
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

    /** Puts the node's status and its signed receipt for what it enforces into the cluster. */
    private void report() {
        try {
            TreeHead head = verified;
            Receipt receipt = head == null
                    ? new Receipt(nodeId, 0, HexFormat.of().formatHex(Merkle.emptyRoot()), SetHash.empty().digest(),
                            state.name(), clock.instant())
                    : new Receipt(nodeId, head.treeSize(), head.rootHash(), head.setHash(), state.name(), clock.instant());
            hazelcast.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).set(nodeId,
                    new NodeStatus(nodeId, address, appliedSerial, current.get().isPresent(), System.currentTimeMillis(),
                            state, detail, receipt.bytes(), receipt.sign(key.privateKey())));
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

    /** The cluster gave data that does not verify against the gateway's signed heads. */
    private static final class Tampered extends Exception {
        Tampered(String message) {
            super(message, null, false, false);
        }
    }

    private static final class NotPublished extends Exception {
        NotPublished(String message) {
            super(message, null, false, false);
        }
    }
}
