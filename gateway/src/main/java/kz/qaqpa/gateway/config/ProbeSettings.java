package kz.qaqpa.gateway.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the gateway looks at the links an appeal names. The links come from anyone, so a probe is
 * bounded in time, size and concurrency, and goes only to public addresses on web ports.
 *
 * @param deadline        the most one probe may take, redirects included; then it is cut and recorded as such
 * @param maxBodyBytes    the most of a body that is read and hashed; a longer one is cut there and noted
 * @param allowedPorts    the ports a link or redirect may name
 * @param allowedNetworks networks a probe may reach although they are not public (for tests, or an
 *                        authority's own staging hosts); none by default
 * @param proxy           an HTTP proxy every probe leaves through, so that probes come from a known vantage point
 * @param userAgent       the User-Agent sent: a normal browser's, since some sites answer robots differently
 * @param concurrency     probes in flight at once
 * @param perHost         probes in flight to one host at once
 * @param perAppeal       probes of one appeal in flight at once, so one appeal's slow links cannot hold every slot
 */
public record ProbeSettings(Duration deadline, long maxBodyBytes, Ports allowedPorts, List<String> allowedNetworks,
                            Optional<InetSocketAddress> proxy, String userAgent, int concurrency, int perHost,
                            int perAppeal) {

    public static final Setting<Duration> DEADLINE = Setting.of("probe-deadline", "DURATION", Parse::duration, "30s",
            "The most one probe of an appeal's link may take, redirects included.");
    public static final Setting<Long> MAX_BYTES = Setting.of("probe-max-bytes", "BYTES",
            text -> (long) Parse.positive(text, Integer.MAX_VALUE), String.valueOf(8 << 20),
            "The most of a probed page read and hashed.");
    public static final Setting<Ports> ALLOW_PORTS = Setting.of("probe-allow-ports", "PORTS", Ports::parse, "80,443",
            "Ports a probed link may name, e.g. 80,443,8000-8999.");
    public static final Setting<List<String>> ALLOW_NETWORKS = Setting.withDefault("probe-allow-networks", "CIDRS",
            Parse::networks, List.<String>of(), "Non-public networks probes may reach all the same (default none).");
    public static final Setting<java.net.InetSocketAddress> PROXY = Setting.optional("probe-proxy", "HOST:PORT",
            Parse::hostAndPort, "HTTP proxy every probe leaves through.");
    public static final Duration DEFAULT_DEADLINE = DEADLINE.defaultValue();
    public static final long DEFAULT_MAX_BODY_BYTES = MAX_BYTES.defaultValue();
    public static final Ports WEB_PORTS = ALLOW_PORTS.defaultValue();
    public static final String BROWSER_USER_AGENT =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
    public static final Setting<String> USER_AGENT = Setting.withDefault("probe-user-agent", "TEXT", Parse::nonBlank,
            BROWSER_USER_AGENT, "User-Agent of probes (default a current Chrome's).");

    public ProbeSettings {
        allowedNetworks = List.copyOf(allowedNetworks);
    }

    /** Ports and port ranges, as {@code 80,443,8000-8999}. */
    public record Ports(List<Range> ranges) {

        /** From {@code first} to {@code last}, both included. */
        public record Range(int first, int last) {
        }

        public Ports {
            ranges = List.copyOf(ranges);
        }

        public static Ports parse(String text) {
            List<Range> ranges = new java.util.ArrayList<>();
            for (String item : text.split(",")) {
                String range = item.strip();
                if (range.isEmpty()) {
                    continue;
                }
                int dash = range.indexOf('-');
                int first = port(dash < 0 ? range : range.substring(0, dash));
                int last = dash < 0 ? first : port(range.substring(dash + 1));
                if (last < first) {
                    throw new IllegalArgumentException("not a port range: " + range);
                }
                ranges.add(new Range(first, last));
            }
            return new Ports(ranges);
        }

        public boolean contains(int port) {
            return ranges.stream().anyMatch(range -> range.first() <= port && port <= range.last());
        }

        private static int port(String text) {
            try {
                int port = Integer.parseInt(text.strip());
                if (port >= 1 && port <= 65_535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new IllegalArgumentException("not a port (1-65535): " + text.strip());
        }

        @Override
        public String toString() {
            return String.join(",", ranges.stream()
                    .map(r -> r.first() == r.last() ? Integer.toString(r.first()) : r.first() + "-" + r.last()).toList());
        }
    }

    public static ProbeSettings defaults() {
        return new ProbeSettings(DEFAULT_DEADLINE, DEFAULT_MAX_BODY_BYTES, WEB_PORTS, List.of(), Optional.empty(),
                BROWSER_USER_AGENT, 8, 2, 2);
    }

    /** The same settings that may also reach these networks and ports (tests serve pages on loopback). */
    public ProbeSettings allowing(List<String> networks, String ports) {
        List<Ports.Range> allPorts = new java.util.ArrayList<>(allowedPorts.ranges());
        allPorts.addAll(Ports.parse(ports).ranges());
        List<String> allNetworks = new java.util.ArrayList<>(allowedNetworks);
        allNetworks.addAll(networks);
        return new ProbeSettings(deadline, maxBodyBytes, new Ports(allPorts), allNetworks, proxy, userAgent, concurrency,
                perHost, perAppeal);
    }

    public ProbeSettings withDeadline(Duration newDeadline) {
        return new ProbeSettings(newDeadline, maxBodyBytes, allowedPorts, allowedNetworks, proxy, userAgent, concurrency,
                perHost, perAppeal);
    }
}
