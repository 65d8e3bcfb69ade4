package kz.qaqpa.gateway.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How operators pull the list: the policy zone's origin, and the zone-transfer service that serves
 * it to their resolvers (AXFR, IXFR) and tells them of each new serial (NOTIFY).
 *
 * @param rpzOrigin the origin of the response policy zone, an absolute name such as {@code rpz.qaqpa.}
 * @param xfrHost   interface the zone-transfer service listens on
 * @param xfrPort   its port, TCP and UDP; 0 takes any free port, -1 turns the service off
 * @param xfrAllow  addresses or networks (CIDR) allowed to transfer the zone
 * @param notifyTargets resolvers told of each new serial
 * @param tsigKeys  a file of TSIG keys in BIND's syntax: when given, transfers and SOA queries must be
 *                  signed by one of them, and answers and NOTIFY are signed
 */
public record FeedSettings(String rpzOrigin, String xfrHost, int xfrPort, List<String> xfrAllow,
                           List<InetSocketAddress> notifyTargets, Optional<Path> tsigKeys) {

    public static final String DEFAULT_RPZ_ORIGIN = "rpz.qaqpa.";
    public static final int DEFAULT_XFR_PORT = 5300;
    public static final List<String> LOOPBACK = List.of("127.0.0.1/32", "::1/128");

    public FeedSettings {
        xfrAllow = List.copyOf(xfrAllow);
        notifyTargets = List.copyOf(notifyTargets);
    }

    public FeedSettings(String rpzOrigin, String xfrHost, int xfrPort, List<String> xfrAllow,
                        List<InetSocketAddress> notifyTargets) {
        this(rpzOrigin, xfrHost, xfrPort, xfrAllow, notifyTargets, Optional.empty());
    }

    /** Defaults, with the zone-transfer service on any free port: for tests and benchmarks. */
    public static FeedSettings onAnyPort() {
        return new FeedSettings(DEFAULT_RPZ_ORIGIN, "127.0.0.1", 0, LOOPBACK, List.of());
    }
}
