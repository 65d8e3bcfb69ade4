package kz.qaqpa.blocklist.node;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import kz.qaqpa.blocklist.cluster.ClusterClient;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.dns.DnsCounters;
import kz.qaqpa.blocklist.dns.DnsFilterServer;
import kz.qaqpa.blocklist.matcher.BlocklistView;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.blocklist.model.SnapshotSource;
import kz.qaqpa.blocklist.model.log.ReceiptKey;
import kz.qaqpa.blocklist.replica.BlocklistReplica;
import kz.qaqpa.blocklist.traffic.TrafficFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filtering node, assembled: the DNS service that enforces the blocklist, the traffic filter when
 * it is given listeners, and the replica that follows the list from the cluster, adopting only what the gateway's certificate has signed for. The
 * DNS service is bound first and answers REFUSED until the replica holds a verified state — a node never answers from nothing, however long the cluster takes —
 * then the node joins the cluster: through the gateway's own member when the gateway runs it
 * in-process ({@link #onMember}), as a client of the cluster in a process of its own
 * ({@link #standalone}, {@code qaqpa filter-node}).
 */
public final class FilterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FilterNode.class);

    private final String id;
    private final DnsFilterServer dns;
    private final Optional<TrafficFilter> traffic;
    private final AtomicReference<BlocklistReplica> replica;
    private final Optional<HazelcastInstance> ownClient;

    private FilterNode(String id, DnsFilterServer dns, Optional<TrafficFilter> traffic, AtomicReference<BlocklistReplica> replica,
                       Optional<HazelcastInstance> ownClient) {
        this.id = id;
        this.dns = dns;
        this.traffic = traffic;
        this.replica = replica;
        this.ownClient = ownClient;
    }

    /**
     * The node the gateway runs beside its cluster member; waits up to {@code firstState} for a
     * consistent blocklist (it answers REFUSED until then either way); counts its answers in {@code metrics}.
     */
    public static FilterNode onMember(HazelcastInstance member, String id, DnsFilterServer.Settings settings,
                                      X509Certificate gateway, ReceiptKey key, Duration firstState, MeterRegistry metrics)
            throws InterruptedException {
        FilterNode node = start(id, settings, Optional.empty(), metrics, gateway, key, Optional.empty(), () -> member, false);
        if (!node.replica().awaitConsistent(firstState)) {
            LOG.warn("The filtering node has no consistent blocklist yet; it answers REFUSED until it has");
        }
        return node;
    }

    /**
     * A node in a process of its own: answers DNS (and filters traffic, when given listeners) at
     * once, refusing until it holds a verified list, then connects to the cluster as a client
     * (blocking until it can).
     *
     * @param traffic  the traffic filter's settings, when it filters subscribers' traffic too
     * @param metrics  where the DNS service counts its answers and the traffic filter its verdicts
     * @param fallback where it takes the list when the cluster does not give one that verifies (the gateway's feed)
     */
    public static FilterNode standalone(ClusterSettings cluster, String id, DnsFilterServer.Settings settings,
                                        Optional<TrafficFilter.Settings> traffic, MeterRegistry metrics,
                                        X509Certificate gateway, ReceiptKey key, Optional<SnapshotSource> fallback)
            throws InterruptedException {
        LOG.info("Filtering node {} connecting to cluster '{}' at {}; adopting heads signed by {}{}", id, cluster.name(),
                cluster.members(), gateway.getSubjectX500Principal(),
                fallback.isPresent() ? "; the gateway's feed when the cluster does not verify" : "");
        return start(id, settings, traffic, metrics, gateway, key, fallback, () -> ClusterClient.connect(cluster), true);
    }

    private static FilterNode start(String id, DnsFilterServer.Settings settings, Optional<TrafficFilter.Settings> trafficSettings,
                                    MeterRegistry metrics, X509Certificate gateway, ReceiptKey key,
                                    Optional<SnapshotSource> fallback, Supplier<HazelcastInstance> cluster,
                                    boolean ownsCluster) throws InterruptedException {
        AtomicReference<BlocklistReplica> replica = new AtomicReference<>();
        BlocklistView view = new BlocklistView() {
            @Override
            public Optional<Matcher> current() {
                return Optional.ofNullable(replica.get()).flatMap(BlocklistReplica::current);
            }

            @Override
            public long serial() {
                return Optional.ofNullable(replica.get()).map(BlocklistReplica::appliedSerial).orElse(0L);
            }
        };
        DnsFilterServer dns = DnsFilterServer.start(settings, view, new DnsCounters().bindTo(metrics));
        Optional<TrafficFilter> traffic = Optional.empty();
        HazelcastInstance hazelcast;
        try {
            if (trafficSettings.isPresent()) {
                traffic = Optional.of(TrafficFilter.start(trafficSettings.get(), view, metrics));
            }
            hazelcast = cluster.get();
        } catch (InterruptedException | RuntimeException e) {
            traffic.ifPresent(TrafficFilter::close);
            dns.close();
            throw e;
        }
        replica.set(new BlocklistReplica(hazelcast, id, gateway, key, Clock.systemUTC(), fallback).start(dns.address().getHostString() + ":" + dns.address().getPort()));
        return new FilterNode(id, dns, traffic, replica, ownsCluster ? Optional.of(hazelcast) : Optional.empty());
    }

    /** Where it answers DNS. */
    public InetSocketAddress dnsAddress() {
        return dns.address();
    }

    /** Where the traffic filter takes connections, each listener's address; empty when it filters none. */
    public List<InetSocketAddress> trafficAddresses() {
        return traffic.map(TrafficFilter::addresses).orElse(List.of());
    }

    public BlocklistReplica replica() {
        return replica.get();
    }

    /** Stops answering, stops following, and leaves the cluster if it joined as a client of its own. */
    @Override
    public void close() {
        traffic.ifPresent(TrafficFilter::close);
        dns.close();
        replica.get().close();
        ownClient.ifPresent(HazelcastInstance::shutdown);
        LOG.info("Filtering node {} stopped", id);
    }
}
