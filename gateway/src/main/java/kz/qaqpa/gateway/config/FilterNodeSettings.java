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

    public static final Setting<Boolean> ENABLED = Setting.of("filter-node", "true|false", Parse::bool, "true",
            "Run the in-process DNS filtering node (--no-filter-node turns it off).");
    public static final Setting<String> DNS_HOST = Setting.of("dns-host", "HOST", Parse::nonBlank, "127.0.0.1",
            "Interface the filtering node answers on.").alsoForFilterNode();
    public static final Setting<Integer> DNS_PORT = Setting.of("dns-port", "PORT", Parse::port, "5353",
            "DNS port, UDP and TCP; 0 = any.").alsoForFilterNode();
    public static final Setting<InetSocketAddress> UPSTREAM = Setting.of("upstream", "HOST:PORT", Parse::hostAndPort,
            "127.0.0.1:53", "Resolver allowed names are forwarded to.").alsoForFilterNode();
    public static final Setting<Duration> UPSTREAM_TIMEOUT = Setting.of("upstream-timeout", "DURATION", Parse::duration, "2s",
            "Upstream answer timeout.").alsoForFilterNode();
    public static final Setting<Duration> NEGATIVE_TTL = Setting.of("dns-negative-ttl", "DURATION", Parse::negativeTtl,
            DnsFilterServer.Settings.DEFAULT_NEGATIVE_TTL + "s",
            "How long resolvers may cache the node's NXDOMAIN and NODATA answers.").alsoForFilterNode();
    public static final Setting<Integer> CLIENT_IN_FLIGHT = Setting.of("dns-client-in-flight", "N",
            text -> Parse.positive(text, 50_000), String.valueOf(DnsFilterServer.Settings.DEFAULT_CLIENT_IN_FLIGHT),
            "Forwarded queries one client address may have in flight.").alsoForFilterNode();
    public static final Setting<Boolean> UPSTREAM_TCP = Setting.of("upstream-tcp", "true|false", Parse::bool, "false",
            "Forward every query to the upstream over TCP.").alsoForFilterNode();
    public static final Setting<Boolean> UPSTREAM_0X20 = Setting.of("upstream-0x20", "true|false", Parse::bool, "false",
            "Send names to the upstream in a random case; take only answers that echo it.").alsoForFilterNode();
    public static final Setting<java.net.Inet4Address> SINKHOLE_A = Setting.optional("sinkhole-a", "IPV4", Parse::ipv4,
            "Answer restricted names with this A record (NOERROR) instead of NXDOMAIN.").alsoForFilterNode();
    public static final Setting<java.net.Inet6Address> SINKHOLE_AAAA = Setting.optional("sinkhole-aaaa", "IPV6",
            Parse::ipv6, "And AAAA questions with this address.").alsoForFilterNode();

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
