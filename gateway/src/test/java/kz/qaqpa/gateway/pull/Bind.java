package kz.qaqpa.gateway.pull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * BIND 9 as an operator runs it in front of its subscribers: a recursive resolver forwarding to an
 * upstream, with the policy zone as a secondary of the gateway's zone-transfer service and as its
 * {@code response-policy} — the configuration the README gives, with {@code min-update-interval 0}
 * so that a NOTIFY is acted on at once.
 */
final class Bind extends ResolverProcess {

    static final Path NAMED = Path.of("/usr/sbin/named");
    static final Path CHECKZONE = Path.of("/usr/bin/named-checkzone");
    static final Path TSIG_KEYGEN = Path.of("/usr/sbin/tsig-keygen");

    private Bind(List<String> command, Path log) throws IOException {
        super(command, log);
    }

    /** Starts named on 127.0.0.1:{@code port}, forwarding to {@code upstreamPort}, the zone from {@code xfrPort}. */
    static Bind secondary(Path dir, int port, int upstreamPort, int xfrPort) throws IOException {
        return secondary(dir, port, upstreamPort, xfrPort, "", null);
    }

    /**
     * The same, taking the zone with TSIG: {@code keys} is the key file as {@code tsig-keygen} writes
     * it (included in named.conf as it is), {@code keyName} the key the primary is asked with.
     */
    static Bind secondary(Path dir, int port, int upstreamPort, int xfrPort, String keys, String keyName) throws IOException {
        Path home = Files.createDirectories(dir.resolve("bind"));
        Path config = home.resolve("named.conf");
        Files.writeString(config, keys + """
                options {
                    directory "%s";
                    managed-keys-directory "%s";
                    pid-file none;
                    listen-on port %d { 127.0.0.1; };
                    listen-on-v6 { none; };
                    recursion yes;
                    allow-query { 127.0.0.1; };
                    forwarders { 127.0.0.1 port %d; };
                    forward only;
                    dnssec-validation no;
                    notify no;
                    response-policy { zone "rpz.qaqpa" min-update-interval 0; } qname-wait-recurse no;
                };
                controls { };
                zone "rpz.qaqpa" {
                    type secondary;
                    primaries { 127.0.0.1 port %d%s; };
                    file "rpz.qaqpa.db";
                    allow-notify { 127.0.0.1; };
                    allow-query { localhost; };
                };
                """.formatted(home, home, port, upstreamPort, xfrPort, keyName == null ? "" : " key \"" + keyName + "\""));
        return new Bind(List.of(NAMED.toString(), "-g", "-n", "1", "-c", config.toString()), home.resolve("named.log"));
    }
}
