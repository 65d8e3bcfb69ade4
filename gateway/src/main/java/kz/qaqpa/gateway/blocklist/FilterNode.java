package kz.qaqpa.gateway.blocklist;

import java.net.InetSocketAddress;
import java.time.Duration;
import kz.qaqpa.blocklist.cluster.ClusterMember;
import kz.qaqpa.blocklist.dns.DnsFilterServer;
import kz.qaqpa.blocklist.replica.BlocklistReplica;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.config.FilterNodeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filtering node the gateway runs in-process: a replica of the blocklist on the gateway's own
 * cluster member, and the DNS service that enforces it. The DNS service is bound first and answers
 * REFUSED until the replica holds a consistent state.
 */
public final class FilterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FilterNode.class);
    /** How long start-up waits for the first consistent blocklist before going on without it. */
    private static final Duration FIRST_STATE_WAIT = Duration.ofSeconds(10);

    private final DnsFilterServer dns;
    private final BlocklistReplica replica;

    private FilterNode(DnsFilterServer dns, BlocklistReplica replica) {
        this.dns = dns;
        this.replica = replica;
    }

    /** Starts the node; its negative answers cite the SOA of {@code policyZone}, the zone the gateway serves. */
    public static FilterNode start(FilterNodeSettings settings, String policyZone, ClusterMember cluster) {
        BlocklistReplica replica;
        DnsFilterServer dns;
        try {
            String id = "embedded-" + cluster.hazelcast().getCluster().getLocalMember().getUuid().toString().substring(0, 8);
            replica = new BlocklistReplica(cluster.hazelcast(), id);
            dns = DnsFilterServer.start(settings.dns(policyZone), replica);
            replica.start(dns.address().getHostString() + ":" + dns.address().getPort());
            if (!replica.awaitConsistent(FIRST_STATE_WAIT)) {
                LOG.warn("The filtering node has no consistent blocklist yet; it answers REFUSED until it has");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while starting the filtering node", e);
        } catch (RuntimeException e) {
            throw new StartupException("cannot start the filtering node on " + settings.dnsHost() + ":" + settings.dnsPort()
                    + " (UDP): " + e.getMessage(), e);
        }
        return new FilterNode(dns, replica);
    }

    public InetSocketAddress dnsAddress() {
        return dns.address();
    }

    public BlocklistReplica replica() {
        return replica;
    }

    @Override
    public void close() {
        dns.close();
        replica.close();
    }
}
