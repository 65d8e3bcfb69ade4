package kz.qaqpa.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the HTTP API protects itself on the wire.
 *
 * @param requestHeadTimeout how long a connection may take to send a whole request line and headers,
 *                           after it opened or after its last answer, before it is closed (a
 *                           slow-loris client holds nothing longer)
 * @param tls                HTTPS instead of HTTP, when a certificate is given
 * @param metricsPort        a port on loopback that serves {@code /metrics} and {@code /health/*}
 *                           without a token, for a Prometheus beside the gateway; on the API's
 *                           port {@code /metrics} needs the admin token
 */
public record HttpSecurity(Duration requestHeadTimeout, Optional<Tls> tls, OptionalInt metricsPort) {

    public static final Duration DEFAULT_REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(10);

    public HttpSecurity(Duration requestHeadTimeout, Optional<Tls> tls) {
        this(requestHeadTimeout, tls, OptionalInt.empty());
    }

    public static HttpSecurity defaults() {
        return new HttpSecurity(DEFAULT_REQUEST_HEAD_TIMEOUT, Optional.empty());
    }

    /**
     * The server's certificate and, when client certificates are required, whom they must chain to.
     *
     * @param certificate PEM certificate chain of the API, leaf first
     * @param key         its PEM private key (PKCS#8 or PKCS#1)
     * @param authorityCa when set, every call as the authority (the admin token, a signed directive)
     *                    must come over a connection with a client certificate issued by this CA
     * @param operatorCa  when set, every call as an operator (its token) must come with a client
     *                    certificate issued by this CA whose subject CN is the operator's id
     */
    public record Tls(Path certificate, Path key, Optional<Path> authorityCa, Optional<Path> operatorCa) {
    }
}
