package kz.qaqpa.gateway.pull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * PowerDNS Recursor as an operator runs it: forwarding to an upstream, with the policy zone taken
 * from the gateway's zone-transfer service by {@code rpzPrimary} — the configuration the README
 * gives, with {@code refresh=1}: version 4.8 ignores NOTIFY for RPZ and polls the SOA this often;
 * and {@code packetcache-ttl=5}: a zone update does not clear the packet cache, which would go on
 * serving an answer cached before a RESTRICT for the answer's own TTL.
 */
final class PowerDns extends ResolverProcess {

    static final Path RECURSOR = Path.of("/usr/sbin/pdns_recursor");

    private PowerDns(List<String> command, Path log) throws IOException {
        super(command, log);
    }

    /** Starts the recursor on 127.0.0.1:{@code port}, forwarding to {@code upstreamPort}, the zone from {@code xfrPort}. */
    static PowerDns secondary(Path dir, int port, int upstreamPort, int xfrPort) throws IOException {
        return secondary(dir, port, upstreamPort, xfrPort, null, null);
    }

    /** The same, asking for the zone with the TSIG key {@code keyName} (HMAC-SHA256) whose secret is {@code secret}. */
    static PowerDns secondary(Path dir, int port, int upstreamPort, int xfrPort, String keyName, String secret)
            throws IOException {
        Path home = Files.createDirectories(dir.resolve("pdns"));
        String tsig = keyName == null ? ""
                : ", tsigname=\"%s\", tsigalgo=\"hmac-sha256\", tsigsecret=\"%s\"".formatted(keyName, secret);
        Files.writeString(home.resolve("rpz.lua"), """
                rpzPrimary("127.0.0.1:%d", "rpz.qaqpa.", {refresh=1%s})
                """.formatted(xfrPort, tsig));
        Files.writeString(home.resolve("recursor.conf"), """
                local-address=127.0.0.1
                local-port=%d
                daemon=no
                disable-syslog=yes
                dnssec=off
                allow-from=127.0.0.0/8
                dont-query=
                security-poll-suffix=
                packetcache-ttl=5
                forward-zones-recurse=.=127.0.0.1:%d
                lua-config-file=%s
                socket-dir=%s
                """.formatted(port, upstreamPort, home.resolve("rpz.lua"), home));
        return new PowerDns(List.of(RECURSOR.toString(), "--config-dir=" + home), home.resolve("recursor.log"));
    }
}
