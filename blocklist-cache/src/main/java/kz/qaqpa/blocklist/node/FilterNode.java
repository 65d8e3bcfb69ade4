package kz.qaqpa.blocklist.node;

import com.hazelcast.core.HazelcastInstance;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import kz.qaqpa.blocklist.cluster.ClusterClient;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.matcher.BlocklistView;
import kz.qaqpa.blocklist.dns.DnsFilterServer;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.blocklist.model.SnapshotSource;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import kz.qaqpa.blocklist.replica.BlocklistReplica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filtering node, assembled: the DNS service that enforces the blocklist and the replica that
 * follows it from the cluster, adopting only what the gateway's certificate has signed for. The
 * DNS service is bound first and answers REFUSED until the replica holds a verified state — a node never answers from nothing, however long the cluster takes —
 * then the node joins the cluster: through the gateway's own member when the gateway runs it
 * in-process ({@link #onMember}), as a client of the cluster in a process of its own
 * ({@link #standalone}, {@code qaqpa filter-node}).
 */
public final class FilterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FilterNode.class);

    private final String id;
    private final DnsFilterServer dns;
    private final AtomicReference<BlocklistReplica> replica;
    private final Optional<HazelcastInstance> ownClient;

    private FilterNode(String id, DnsFilterServer dns, AtomicReference<BlocklistReplica> replica,
                       Optional<HazelcastInstance> ownClient) {
        this.id = id;
        this.dns = dns;
        this.replica = replica;
        this.ownClient = ownClient;
    }

    /**
     * The node the gateway runs beside its cluster member; waits up to {@code firstState} for a
     * consistent blocklist (it answers REFUSED until then either way).
     */
    public static FilterNode onMember(HazelcastInstance member, String id, DnsFilterServer.Settings settings,
                                      X509Certificate gateway, ReceiptKey key, Duration firstState)
            throws InterruptedException {
        FilterNode node = start(id, settings, gateway, key, Optional.empty(), () -> member, false);
        if (!node.replica().awaitConsistent(firstState)) {
            LOG.warn("The filtering node has no consistent blocklist yet; it answers REFUSED until it has");
        }
        return node;
    }

    /**
     * A node in a process of its own: answers DNS at once, then connects to the cluster as a client
     * (blocking until it can).
     *
     * @param fallback where it takes the list when the cluster does not give one that verifies (the gateway's feed)
     */
    public static FilterNode standalone(ClusterSettings cluster, String id, DnsFilterServer.Settings settings,
                                        X509Certificate gateway, ReceiptKey key, Optional<SnapshotSource> fallback)
            throws InterruptedException {
        LOG.info("Filtering node {} connecting to cluster '{}' at {}; adopting heads signed by {}{}", id, cluster.name(),
                cluster.members(), gateway.getSubjectX500Principal(),
                fallback.isPresent() ? "; the gateway's feed when the cluster does not verify" : "");
        return start(id, settings, gateway, key, fallback, () -> ClusterClient.connect(cluster), true);
    }

    private static FilterNode start(String id, DnsFilterServer.Settings settings, X509Certificate gateway, ReceiptKey key,
                                    Optional<SnapshotSource> fallback, Supplier<HazelcastInstance> cluster,
                                    boolean ownsCluster) throws InterruptedException {
        AtomicReference<BlocklistReplica> replica = new AtomicReference<>();
        DnsFilterServer dns = DnsFilterServer.start(settings, new BlocklistView() {
            @Override
            public Optional<Matcher> current() {
                return Optional.ofNullable(replica.get()).flatMap(BlocklistReplica::current);
            }

            @Override
            public long serial() {
                return Optional.ofNullable(replica.get()).map(BlocklistReplica::appliedSerial).orElse(0L);
            }
        });
        HazelcastInstance hazelcast;
        try {
            hazelcast = cluster.get();
        } catch (RuntimeException e) {
            dns.close();
            throw e;
        }
        replica.set(new BlocklistReplica(hazelcast, id, gateway, key, Clock.systemUTC(), fallback).start(dns.address().getHostString() + ":" + dns.address().getPort()));
        return new FilterNode(id, dns, replica, ownsCluster ? Optional.of(hazelcast) : Optional.empty());
    }

    /** Where it answers DNS. */
    public InetSocketAddress dnsAddress() {
        return dns.address();
    }

    public BlocklistReplica replica() {
        return replica.get();
    }

    /** Stops answering, stops following, and leaves the cluster if it joined as a client of its own. */
    @Override
    public void close() {
        dns.close();
        replica.get().close();
        ownClient.ifPresent(HazelcastInstance::shutdown);
        LOG.info("Filtering node {} stopped", id);
    }
}
