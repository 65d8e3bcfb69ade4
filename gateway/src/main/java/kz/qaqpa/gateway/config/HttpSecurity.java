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
 *                           port {@code /metrics} needs a token
 * @param consoleIdle        how long a console session lasts without a request
 */
public record HttpSecurity(Duration requestHeadTimeout, Optional<Tls> tls, OptionalInt metricsPort, Duration consoleIdle) {

    public static final Setting<Duration> HEAD_TIMEOUT = Setting.of("http-head-timeout", "DURATION", Parse::duration, "10s",
            "Closes a connection without a whole request head this long after it opened or after its last answer.");
    public static final Setting<Integer> METRICS_PORT = Setting.optional("metrics-port", "PORT", Parse::port,
            "Loopback port serving /metrics and /health/* without a token (on the API's port /metrics needs the admin token).");
    public static final Setting<Path> TLS_CERTIFICATE = Setting.optional("tls-certificate", "PEM", Parse::readableFile,
            "The API's certificate chain: HTTPS only (with --tls-key).");
    public static final Setting<Path> TLS_KEY = Setting.optional("tls-key", "PEM", Parse::readableFile,
            "The key of --tls-certificate.");
    public static final Setting<Path> AUTHORITY_CLIENT_CA = Setting.optional("authority-client-ca", "PEM", Parse::readableFile,
            "Calls as the authority need a client certificate from this CA.");
    public static final Setting<Path> OPERATOR_CLIENT_CA = Setting.optional("operator-client-ca", "PEM", Parse::readableFile,
            "Calls as an operator need a client certificate from this CA, CN = operator id.");
    public static final Setting<Duration> CONSOLE_IDLE = Setting.of("console-idle-timeout", "DURATION", Parse::duration,
            "15m", "A console session ends this long after its last request (and after 12 hours in any case).");
    public static final Duration DEFAULT_REQUEST_HEAD_TIMEOUT = HEAD_TIMEOUT.defaultValue();

    public HttpSecurity(Duration requestHeadTimeout, Optional<Tls> tls) {
        this(requestHeadTimeout, tls, OptionalInt.empty());
    }

    public HttpSecurity(Duration requestHeadTimeout, Optional<Tls> tls, OptionalInt metricsPort) {
        this(requestHeadTimeout, tls, metricsPort, CONSOLE_IDLE.defaultValue());
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
