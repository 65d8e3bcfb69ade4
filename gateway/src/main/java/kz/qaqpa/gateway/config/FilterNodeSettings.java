package kz.qaqpa.gateway.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import kz.qaqpa.blocklist.dns.Sinkhole;

/**
 * The filtering node the gateway runs in-process in embedded mode.
 *
 * @param enabled         false with {@code --no-filter-node}
 * @param dnsHost         interface it answers DNS on (loopback by default: not an open resolver)
 * @param dnsPort         its port; 0 picks a free one
 * @param upstream        the resolver allowed names are forwarded to
 * @param upstreamTimeout how long to wait for the upstream before answering SERVFAIL
 * @param sinkhole        where restricted names point instead of NXDOMAIN, if anywhere
 */
public record FilterNodeSettings(boolean enabled, String dnsHost, int dnsPort, InetSocketAddress upstream,
                                 Duration upstreamTimeout, Sinkhole sinkhole) {

    public FilterNodeSettings(boolean enabled, String dnsHost, int dnsPort, InetSocketAddress upstream,
                              Duration upstreamTimeout) {
        this(enabled, dnsHost, dnsPort, upstream, upstreamTimeout, Sinkhole.none());
    }

    public static FilterNodeSettings disabled() {
        return new FilterNodeSettings(false, "127.0.0.1", 0, new InetSocketAddress("127.0.0.1", 53), Duration.ofSeconds(2));
    }
}
