package kz.qaqpa.blocklist.cluster;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import kz.qaqpa.blocklist.replica.ReplicatedBlocklist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's embedded Hazelcast member.
 *
 * <p>Discovery is TCP/IP only, on one pinned interface: no multicast, no cloud auto-detection and no
 * phone-home, because filtering nodes and gateways run on operator networks where stray traffic is
 * unwelcome. Hazelcast's own shutdown hook is off: the gateway leaves the cluster itself, after it
 * has stopped taking requests and before it closes the database.
 */
public final class ClusterMember implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);

    private final ClusterSettings settings;
    private final HazelcastInstance hazelcast;

    private ClusterMember(ClusterSettings settings, HazelcastInstance hazelcast) {
        this.settings = settings;
        this.hazelcast = hazelcast;
    }

    /**
     * Starts a member and joins the members it can find; returns once it has joined (or formed) a
     * cluster.
     *
     * @throws ClusterUnavailableException when the member cannot start, for example on a port in use
     */
    public static ClusterMember join(ClusterSettings settings) {
        try {
            HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(config(settings));
            ClusterMember member = new ClusterMember(settings, hazelcast);
            LOG.info("Joined cluster '{}' as {} ({} member(s))",
                    settings.name(), member.endpoint(), member.size());
            return member;
        } catch (RuntimeException e) {
            throw new ClusterUnavailableException("cannot join cluster '" + settings.name() + "' on "
                    + settings.address() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
    }

    public static Config config(ClusterSettings settings) {
        Config config = new Config();
        config.setClusterName(settings.name());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.socket.bind.any", "false");

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(settings.address());

        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        List<String> members = settings.members().isEmpty() ? List.of(settings.address()) : settings.members();
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        return ReplicatedBlocklist.configure(ReplicatedBlocklist.serialisation(config), ReplicatedBlocklist.DEFAULT_CHANGE_CAPACITY);
    }

    /** The Hazelcast instance, for the structures built on it (blocklist, change stream). */
    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    /** The address other members reach this one at. */
    public InetSocketAddress address() {
        return hazelcast.getCluster().getLocalMember().getSocketAddress();
    }

    /** The address other members reach this one at, as {@code host:port}. */
    public String endpoint() {
        InetSocketAddress address = address();
        return address.getHostString() + ":" + address.getPort();
    }

    /** Members in the cluster as this member sees it; 0 once it has left. */
    public int size() {
        return isUp() ? hazelcast.getCluster().getMembers().size() : 0;
    }

    /** Whether this member is running and its cluster accepts operations. */
    public boolean isUp() {
        return hazelcast.getLifecycleService().isRunning()
                && hazelcast.getCluster().getClusterState() == ClusterState.ACTIVE;
    }

    /** Registers {@code hazelcast_cluster_members}, {@code hazelcast_member_up} and {@code hazelcast_cluster_safe}. */
    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("hazelcast.cluster.members", this, ClusterMember::size)
                .description("Members of the cluster as this member sees them")
                .register(registry);
        Gauge.builder("hazelcast.member.up", this, member -> member.isUp() ? 1 : 0)
                .description("1 while this member runs in an active cluster")
                .register(registry);
        Gauge.builder("hazelcast.cluster.safe", this,
                        member -> member.isUp() && member.hazelcast.getPartitionService().isClusterSafe() ? 1 : 0)
                .description("1 when every partition has its backups in place")
                .register(registry);
    }

    /** Leaves the cluster gracefully: partitions this member owns are handed over first. */
    @Override
    public void close() {
        if (hazelcast.getLifecycleService().isRunning()) {
            hazelcast.shutdown();
            LOG.info("Left cluster '{}'", settings.name());
        }
    }
}
