package kz.qaqpa.gateway.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import kz.qaqpa.blocklist.dns.DnsFilterServer;
import kz.qaqpa.blocklist.dns.Sinkhole;

/**
 * A filtering node's settings: the one the gateway runs in-process in embedded mode, or {@code qaqpa filter-node}.
 *
 * @param enabled         false with {@code --no-filter-node}
 * @param dnsHost         interface it answers DNS on (loopback by default: not an open resolver)
 * @param dnsPort         its port; 0 picks a free one
 * @param upstream        the resolver allowed names are forwarded to
 * @param upstreamTimeout how long to wait for the upstream before answering SERVFAIL
 * @param sinkhole        where restricted names point instead of NXDOMAIN, if anywhere
 * @param negativeTtl     how long resolvers may cache the node's negative answers (the SOA they carry says so)
 * @param clientInFlight  forwarded queries one client address may have in flight at once
 * @param upstreamTcp     forward every query to the upstream over TCP
 * @param upstream0x20    send question names to the upstream in a random case and take only answers echoing it
 */
public record FilterNodeSettings(boolean enabled, String dnsHost, int dnsPort, InetSocketAddress upstream,
                                 Duration upstreamTimeout, Sinkhole sinkhole, Duration negativeTtl, int clientInFlight,
                                 boolean upstreamTcp, boolean upstream0x20) {

    public FilterNodeSettings(boolean enabled, String dnsHost, int dnsPort, InetSocketAddress upstream,
                              Duration upstreamTimeout) {
        this(enabled, dnsHost, dnsPort, upstream, upstreamTimeout, Sinkhole.none(),
                Duration.ofSeconds(DnsFilterServer.Settings.DEFAULT_NEGATIVE_TTL), DnsFilterServer.Settings.DEFAULT_CLIENT_IN_FLIGHT,
                false, false);
    }

    public static FilterNodeSettings disabled() {
        return new FilterNodeSettings(false, "127.0.0.1", 0, new InetSocketAddress("127.0.0.1", 53), Duration.ofSeconds(2));
    }

    /** The DNS service's settings; its negative answers cite the SOA of {@code policyZone}. */
    public DnsFilterServer.Settings dns(String policyZone) {
        return new DnsFilterServer.Settings(new InetSocketAddress(dnsHost, dnsPort),
                // resolved again here: a name given for the upstream is looked up when the node starts
                new InetSocketAddress(upstream.getHostString(), upstream.getPort()),
                upstreamTimeout, sinkhole, policyZone, negativeTtl.toSeconds(), clientInFlight, upstreamTcp, upstream0x20);
    }
}
