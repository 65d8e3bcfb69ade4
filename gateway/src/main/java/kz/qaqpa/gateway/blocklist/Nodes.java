package kz.qaqpa.gateway.blocklist;

import com.hazelcast.core.HazelcastInstance;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import kz.qaqpa.blocklist.model.log.GatewaySignature;
import kz.qaqpa.blocklist.model.log.Receipt;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import kz.qaqpa.blocklist.replica.NodeStatus;
import kz.qaqpa.blocklist.replica.ReplicatedBlocklist;
import kz.qaqpa.directives.blocklist.NodeKeys;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.gateway.log.TreeHeads;

/**
 * The filtering nodes as they report themselves to the cluster, judged by their signed receipts.
 * A report's plain fields are what anyone on the cluster port could have written; a receipt that
 * verifies with the key the authority registered for the node is what the node itself states, and
 * it is checked against the gateway's own log. Calls block: use a worker.
 */
public final class Nodes {

    /** A node whose last receipt is older than this has stopped: flagged {@link Flag#SILENT}. */
    static final Duration SILENT_AFTER = Duration.ofSeconds(5);

    /** What the gateway makes of a node's report, worst first. */
    public enum Flag {
        /** No key is registered for the node: nothing it reports can be checked. */
        UNREGISTERED,
        /** Its receipt does not verify with its registered key (or names another node): someone else wrote it. */
        FORGED,
        /** Its receipt states a root that is not the log's at that size. */
        DISAGREES,
        /** Its last receipt is older than {@link #SILENT_AFTER}. */
        SILENT,
        /** It says the cluster lied to it. */
        TAMPERED,
        /** It says its latest verified head has expired. */
        STALE,
        /** It holds no verified state yet. */
        STARTING,
        /** It enforces a state it verified, signed for, recently. */
        OK
    }

    /** A node's report and what its receipt, if it verifies, states. */
    public record View(NodeStatus status, Optional<Receipt> receipt, Flag flag) {

        /** The serial the node's verified receipt says it enforces; 0 without one. */
        public long enforcedSerial() {
            return receipt.map(Receipt::treeSize).orElse(0L);
        }

        /** How many serials its verified receipt is behind {@code published}; empty without one. */
        public OptionalLong behind(long published) {
            return receipt.map(verified -> OptionalLong.of(Math.max(0, published - verified.treeSize())))
                    .orElse(OptionalLong.empty());
        }
    }

    private final HazelcastInstance hazelcast;
    private final Database database;
    private final TreeHeads heads;
    private final X509Certificate gateway;
    private final Clock clock;
    private volatile Judged judged;

    /** @param gateway the certificate the gateway signs its tree heads with */
    public Nodes(HazelcastInstance hazelcast, Database database, TreeHeads heads, X509Certificate gateway, Clock clock) {
        this.hazelcast = hazelcast;
        this.database = database;
        this.heads = heads;
        this.gateway = gateway;
        this.clock = clock;
    }

    /** Every node that reports, judged, by id. */
    public List<View> all() throws SQLException {
        Map<String, String> keys = NodeKeys.all(database.dataSource());
        Map<Long, Optional<String>> roots = new HashMap<>(); // nodes mostly hold the same size: the log read once for it
        List<View> views = new ArrayList<>();
        for (NodeStatus status : hazelcast.<String, NodeStatus>getMap(ReplicatedBlocklist.NODES).values()) {
            views.add(judge(status, Optional.ofNullable(keys.get(status.id())), size -> roots.computeIfAbsent(size, this::rootAt)));
        }
        views.sort(Comparator.comparing(view -> view.status().id()));
        return views;
    }

    /** Registers {@code publicKeyPem} as node {@code id}'s key; an {@link IllegalArgumentException} when it is none. */
    public void register(String id, String publicKeyPem) {
        ReceiptKey.publicKey(publicKeyPem);
        NodeKeys.register(database, id, publicKeyPem, clock.instant());
    }

    private View judge(NodeStatus status, Optional<String> key, LongFunction<Optional<String>> rootAt) {
        if (key.isEmpty()) {
            return new View(status, Optional.empty(), Flag.UNREGISTERED);
        }
        Receipt receipt;
        try {
            PublicKey publicKey = ReceiptKey.publicKey(key.get());
            if (status.receipt() == null || status.signature() == null) {
                return new View(status, Optional.empty(), Flag.FORGED);
            }
            receipt = Receipt.verified(status.receipt(), status.signature(), publicKey);
        } catch (IllegalArgumentException e) {
            return new View(status, Optional.empty(), Flag.FORGED);
        }
        if (!receipt.node().equals(status.id())) {
            return new View(status, Optional.empty(), Flag.FORGED);
        }
        Optional<Receipt> verified = Optional.of(receipt);
        if (receipt.treeSize() > 0 && !rootAt.apply(receipt.treeSize()).map(receipt.rootHash()::equals).orElse(false)) {
            return new View(status, verified, Flag.DISAGREES);
        }
        if (receipt.time().isBefore(clock.instant().minus(SILENT_AFTER))) {
            return new View(status, verified, Flag.SILENT);
        }
        return new View(status, verified, switch (receipt.state()) {
            case "VERIFIED" -> Flag.OK;
            case "STALE" -> Flag.STALE;
            case "STARTING" -> Flag.STARTING;
            default -> Flag.TAMPERED;
        });
    }

    /** The log's root at {@code size}, or empty when the log is not that long (or cannot be read). */
    private Optional<String> rootAt(long size) {
        try {
            return Optional.of(HexFormat.of().formatHex(heads.root(size)));
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public long publishedSerial() {
        return ReplicatedBlocklist.publishedSerial(hazelcast);
    }

    /** How many nodes are flagged {@code flag}, as judged at most a second ago (one judgement serves every gauge). */
    public long flagged(Flag flag) {
        return recent().stream().filter(view -> view.flag() == flag).count();
    }

    /**
     * How many serials the furthest-behind node's verified receipt is behind what the cluster
     * publishes; 0 without such nodes (those without a verified receipt are flagged instead).
     */
    public long mostBehind() {
        List<View> views = recent();
        try {
            long published = publishedSerial();
            return views.stream().map(view -> view.behind(published)).filter(OptionalLong::isPresent)
                    .mapToLong(OptionalLong::getAsLong).max().orElse(0);
        } catch (RuntimeException unreachable) {
            return 0; // the cluster is gone: its readiness check says so
        }
    }

    /** The nodes as judged at most a second ago; none while the database or cluster cannot be read. */
    private List<View> recent() {
        try {
            Judged last = judged;
            if (last == null || clock.millis() - last.at() > 1_000) {
                last = new Judged(clock.millis(), all());
                judged = last;
            }
            return last.views();
        } catch (SQLException | RuntimeException unreachable) {
            return List.of();
        }
    }

    private record Judged(long at, List<View> views) {
    }

    /** Seconds since the gateway signed the latest head the cluster holds, if it is this gateway's; NaN otherwise. */
    public double headAgeSeconds() {
        try {
            return ReplicatedBlocklist.latestHead(hazelcast)
                    .flatMap(head -> GatewaySignature.treeHead(head.cms(), gateway))
                    .map(head -> (clock.millis() - head.timestamp().toEpochMilli()) / 1e3).orElse(Double.NaN);
        } catch (RuntimeException unreachable) {
            return Double.NaN;
        }
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
