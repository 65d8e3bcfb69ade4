package kz.qaqpa.gateway.config;

import java.time.Duration;

/**
 * Domain-name suspension (seed 000 §16–26): where the registry's WHOIS answers, and how much of it
 * and how long the gateway waits for when it asks who a name's registrar is.
 *
 * @param whoisHost     the registry's WHOIS server
 * @param whoisPort     its port (RFC 3912: 43)
 * @param whoisDeadline how long one question may take altogether
 * @param whoisMaxBytes the largest answer read
 */
public record SuspensionSettings(String whoisHost, int whoisPort, Duration whoisDeadline, int whoisMaxBytes) {

    public static final Setting<String> WHOIS_SERVER = Setting.of("whois-server", "HOST[:PORT]",
            SuspensionSettings::server, "whois.nic.kz:43",
            "The .KZ/.ҚАЗ registry's WHOIS server, asked who a suspended name's registrar is.");
    public static final Setting<Duration> WHOIS_DEADLINE = Setting.of("whois-deadline", "DURATION", Parse::duration, "10s",
            "How long one WHOIS question may take altogether.");
    /** An answer of the registry is a few kilobytes; anything near this is not one. */
    public static final int WHOIS_MAX_BYTES = 64 * 1024;

    public static SuspensionSettings defaults() {
        String server = WHOIS_SERVER.defaultValue();
        return of(server, WHOIS_DEADLINE.defaultValue());
    }

    /** From {@code whois-server} and {@code whois-deadline}. */
    static SuspensionSettings of(String server, Duration deadline) {
        int colon = server.lastIndexOf(':');
        return colon < 0 ? new SuspensionSettings(server, 43, deadline, WHOIS_MAX_BYTES)
                : new SuspensionSettings(server.substring(0, colon), Parse.port(server.substring(colon + 1)), deadline,
                        WHOIS_MAX_BYTES);
    }

    /** With the WHOIS server at {@code host:port} (tests: a server of their own on loopback). */
    public SuspensionSettings withWhois(String host, int port) {
        return new SuspensionSettings(host, port, whoisDeadline, whoisMaxBytes);
    }

    /** A host name or address, with a port after a colon or without (43). */
    private static String server(String text) {
        String server = text.strip();
        int colon = server.lastIndexOf(':');
        if (server.isEmpty() || colon == 0 || server.contains("/") || server.contains(" ")) {
            throw new IllegalArgumentException("expected HOST or HOST:PORT");
        }
        if (colon > 0) {
            Parse.port(server.substring(colon + 1));
        }
        return server;
    }
}
