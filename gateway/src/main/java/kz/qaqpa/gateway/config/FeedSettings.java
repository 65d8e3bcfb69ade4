package kz.qaqpa.gateway.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.blocklist.model.PolicyZoneApex;

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
 * @param sthInterval  the longest a signed tree head served is older than its issue
 * @param maxStaleness how long a signed tree head may be relied on after its issue (its expiry)
 */
public record FeedSettings(String rpzOrigin, String xfrHost, int xfrPort, List<String> xfrAllow,
                           List<InetSocketAddress> notifyTargets, Optional<Path> tsigKeys, Duration sthInterval,
                           Duration maxStaleness) {

    public static final String DEFAULT_RPZ_ORIGIN = PolicyZoneApex.DEFAULT_ORIGIN;
    public static final Setting<String> RPZ_ORIGIN = Setting.of("rpz-origin", "NAME", Parse::zoneName, DEFAULT_RPZ_ORIGIN,
            "Origin of the policy zone: served to operators, cited in the node's negative answers.").alsoForFilterNode();
    public static final Setting<String> XFR_HOST = Setting.of("xfr-host", "HOST", Parse::nonBlank, "127.0.0.1",
            "Interface of the zone-transfer service.");
    public static final Setting<Integer> XFR_PORT = Setting.of("xfr-port", "PORT", Parse::portOrOff, "5300",
            "Its port, TCP and UDP: AXFR, IXFR and SOA of the policy zone; -1 turns it off.");
    public static final Setting<List<String>> XFR_ALLOW = Setting.of("xfr-allow", "CIDRS", Parse::networks,
            "127.0.0.1/32,::1/128", "Addresses or networks allowed to transfer the zone.");
    public static final Setting<List<InetSocketAddress>> XFR_NOTIFY = Setting.withDefault("xfr-notify", "HOST:PORT,…",
            Parse::hostsAndPorts, List.<InetSocketAddress>of(), "Resolvers sent a NOTIFY at each new serial.");
    public static final Setting<Path> XFR_TSIG_KEYS = Setting.optional("xfr-tsig-keys", "FILE", Parse::readableFile,
            "TSIG keys in BIND's syntax: transfers must be signed by one, answers and NOTIFY are signed.");
    public static final Setting<Duration> STH_INTERVAL = Setting.of("sth-interval", "DURATION", Parse::duration, "10s",
            "A fresh signed tree head of the blocklist's log at least this often, changes or not.");
    public static final Setting<Duration> MAX_STALENESS = Setting.of("max-staleness", "DURATION", Parse::duration, "60s",
            "A signed tree head expires this long after its issue; a holder of an expired one is stale.");

    public static final int DEFAULT_XFR_PORT = XFR_PORT.defaultValue();
    public static final List<String> LOOPBACK = XFR_ALLOW.defaultValue();

    public FeedSettings {
        xfrAllow = List.copyOf(xfrAllow);
        notifyTargets = List.copyOf(notifyTargets);
    }

    public FeedSettings(String rpzOrigin, String xfrHost, int xfrPort, List<String> xfrAllow,
                        List<InetSocketAddress> notifyTargets) {
        this(rpzOrigin, xfrHost, xfrPort, xfrAllow, notifyTargets, Optional.empty(), STH_INTERVAL.defaultValue(),
                MAX_STALENESS.defaultValue());
    }

    /** These settings with transfers signed by the TSIG keys in {@code keys}. */
    public FeedSettings withTsigKeys(Path keys) {
        return new FeedSettings(rpzOrigin, xfrHost, xfrPort, xfrAllow, notifyTargets, Optional.of(keys), sthInterval,
                maxStaleness);
    }

    /** These settings with tree heads issued every {@code interval} and expiring {@code staleness} after issue. */
    public FeedSettings withTreeHeads(Duration interval, Duration staleness) {
        return new FeedSettings(rpzOrigin, xfrHost, xfrPort, xfrAllow, notifyTargets, tsigKeys, interval, staleness);
    }

    /** Defaults, with the zone-transfer service on any free port: for tests and benchmarks. */
    public static FeedSettings onAnyPort() {
        return new FeedSettings(DEFAULT_RPZ_ORIGIN, "127.0.0.1", 0, LOOPBACK, List.of());
    }
}
