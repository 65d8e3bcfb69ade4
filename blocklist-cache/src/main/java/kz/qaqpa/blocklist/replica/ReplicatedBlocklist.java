package kz.qaqpa.blocklist.replica;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.query.Predicates;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.Reload;
import kz.qaqpa.blocklist.model.SignedHead;
import kz.qaqpa.blocklist.model.StreamRecord;

/**
 * The blocklist's structures in the cluster, and the order in which they are written — the
 * contract between {@link BlocklistPublisher} and {@link BlocklistReplica}.
 *
 * <p>The cluster is a transport, not an authority: anyone who reaches its port can write to it
 * (Hazelcast's open-source edition has no authentication). What a reader adopts is what the
 * gateway's signed tree heads vouch for — see {@link BlocklistReplica}; the rest of this contract
 * is what makes an honest cluster fast, and a lying one detected.
 *
 * <ul>
 *   <li>{@value #CHANGES}: a ringbuffer of {@link StreamRecord}s in serial order — changes, each
 *       batch followed by the gateway's {@link SignedHead} at its last serial, and the
 *       {@link Reload} marker of a whole load. A serial may
 *       appear twice (a publisher that failed over republishes its last batch); readers skip what
 *       they have applied.
 *   <li>{@value #ENTRIES}: a map from blocklist key to the change that added it — the current set,
 *       for readers that start from nothing.
 *   <li>{@value #META}: {@value #PUBLISHED_SERIAL} → the last serial whose changes are in both;
 *       {@value #EPOCH} → a random id of the map's last whole load, new at each — a reader that
 *       finds another than the one it loaded knows its cluster's blocklist was reloaded, or that
 *       it is now in another cluster (replaced, or merged after a split brain).
 *   <li>{@value #HEADS}: {@value #LATEST} → the latest {@link SignedHead} whose serial the map has
 *       reached — where a reader that starts from a snapshot takes the head and edge it checks
 *       the snapshot against.
 * </ul>
 * The publisher writes a batch to the ringbuffer first, then the map, then the published serial,
 * then the head (to the ringbuffer and as the latest).
 * So any effect a reader sees in the map has its change in the ringbuffer already, which is what
 * makes the snapshot procedure of {@link BlocklistReplica} consistent.
 *
 * <p>Whole loads. A new cluster, or one whose published serial is older than the oldest change the
 * database keeps, is loaded whole from the database's current set: the publisher removes the
 * published serial, draws a new epoch, rewrites the map, sets the published serial, and appends a
 * reload marker to the ringbuffer, so that readers following it learn they must take a snapshot.
 * Readers do not take a snapshot while there is no published serial, and discard a copy during
 * which the epoch moved — they never adopt a half-written map.
 *
 * <p>Split brain. Each side of a split has its own oldest member, which publishes from the same
 * database, so each side's three structures agree with each other and with the database at their
 * published serial. When the sides merge, Hazelcast keeps the larger side's entries, meta and
 * changes and discards the smaller side's ({@code DiscardMergePolicy}): merging entry by entry would
 * mix two serials — a target restored on one side but still listed on the other would come back
 * (the default, put-if-absent, does exactly that). The kept side's publisher goes on from its own
 * published serial, so nothing the database holds is lost; readers that followed the discarded side
 * see another epoch and reload.
 */
public final class ReplicatedBlocklist {

    public static final String CHANGES = "qaqpa.blocklist.changes";
    public static final String ENTRIES = "qaqpa.blocklist.entries";
    public static final String META = "qaqpa.blocklist.meta";
    public static final String NODES = "qaqpa.blocklist.nodes";
    public static final String HEADS = "qaqpa.blocklist.heads";
    public static final String LATEST = "latest";
    public static final String PUBLISHED_SERIAL = "published-serial";
    public static final String EPOCH = "epoch";

    /** Changes kept in the ringbuffer; a reader further behind than this reloads a snapshot. */
    public static final int DEFAULT_CHANGE_CAPACITY = 200_000;
    /** The most records Hazelcast reads from or writes to a ringbuffer in one call. */
    static final int MOST_RECORDS_AT_ONCE = 1_000;

    private ReplicatedBlocklist() {
    }

    /** Adds the ringbuffer's capacity and the structures' merge policy to a member's configuration. */
    public static Config configure(Config config, int changeCapacity) {
        MergePolicyConfig keepTheLargerSide = new MergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName());
        config.addRingBufferConfig(new RingbufferConfig(CHANGES).setCapacity(changeCapacity).setBackupCount(1)
                .setMergePolicyConfig(keepTheLargerSide));
        config.addMapConfig(new MapConfig(ENTRIES).setMergePolicyConfig(keepTheLargerSide));
        config.addMapConfig(new MapConfig(META).setMergePolicyConfig(keepTheLargerSide));
        config.addMapConfig(new MapConfig(HEADS).setMergePolicyConfig(keepTheLargerSide));
        return config;
    }

    /** Adds the records' serialisation to a member's configuration (once: a second registration is refused). */
    public static Config serialisation(Config config) {
        ClusterSerializers.register(config.getSerializationConfig().getCompactSerializationConfig());
        return config;
    }

    /** Adds the records' serialisation to a client's configuration. */
    public static ClientConfig serialisation(ClientConfig config) {
        ClusterSerializers.register(config.getSerializationConfig().getCompactSerializationConfig());
        return config;
    }

    /** A new epoch: random, never 0 (no epoch yet), never the current one. */
    static long newEpoch(long current) {
        long epoch;
        do {
            epoch = new SecureRandom().nextLong();
        } while (epoch == 0 || epoch == current);
        return epoch;
    }

    static Ringbuffer<StreamRecord> changes(HazelcastInstance hazelcast) {
        return hazelcast.getRingbuffer(CHANGES);
    }

    static IMap<String, BlocklistChange> entries(HazelcastInstance hazelcast) {
        return hazelcast.getMap(ENTRIES);
    }

    /**
     * Hands over every entry of the cluster's map, read a part at a time so that a reader never
     * holds more than about {@code perPart} of them at once: the partitions are split into groups
     * and each group's values read with one query (a query Hazelcast keeps right while partitions
     * migrate; the map's own paged iterator does not, and took 10–100 times as long).
     */
    static void readEntries(HazelcastInstance hazelcast, int perPart, Consumer<BlocklistChange> consumer) {
        IMap<String, BlocklistChange> map = entries(hazelcast);
        PartitionService partitions = hazelcast.getPartitionService();
        int count = partitions.getPartitions().size();
        if (count == 0) {
            throw new IllegalStateException("the cluster's partition table is not known yet");
        }
        // A key that falls in each partition: what a partition predicate is addressed by.
        Object[] keyOf = new Object[count];
        for (int found = 0, candidate = 0; found < count; candidate++) {
            int partition = partitions.getPartition(candidate).getPartitionId();
            if (keyOf[partition] == null) {
                keyOf[partition] = candidate;
                found++;
            }
        }
        int parts = (int) Math.max(1, Math.min(count, (long) map.size() / perPart));
        for (int part = 0; part < parts; part++) {
            Set<Object> keys = new HashSet<>();
            for (int partition = part; partition < count; partition += parts) {
                keys.add(keyOf[partition]);
            }
            map.values(Predicates.multiPartitionPredicate(keys, Predicates.alwaysTrue())).forEach(consumer);
        }
    }

    /** The latest signed head the cluster holds, as claimed: check its signature before believing it. */
    public static Optional<SignedHead> latestHead(HazelcastInstance hazelcast) {
        return Optional.ofNullable(heads(hazelcast).get(LATEST));
    }

    static IMap<String, SignedHead> heads(HazelcastInstance hazelcast) {
        return hazelcast.getMap(HEADS);
    }

    static IMap<String, Long> meta(HazelcastInstance hazelcast) {
        return hazelcast.getMap(META);
    }

    /** The last serial published to the cluster; 0 before the first. */
    public static long publishedSerial(HazelcastInstance hazelcast) {
        Long serial = meta(hazelcast).get(PUBLISHED_SERIAL);
        return serial == null ? 0 : serial;
    }

    /** The last serial published, or null while the map is being loaded whole (or never was). */
    static Long publishedSerialIfComplete(HazelcastInstance hazelcast) {
        return meta(hazelcast).get(PUBLISHED_SERIAL);
    }

    static long epoch(HazelcastInstance hazelcast) {
        Long epoch = meta(hazelcast).get(EPOCH);
        return epoch == null ? 0 : epoch;
    }
}
