package kz.qaqpa.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.gateway.config.FilterNodeSettings;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.HttpSecurity;
import kz.qaqpa.gateway.config.ProbeSettings;
import kz.qaqpa.gateway.config.RateLimits;

/** Gateways for tests: free ports, a private cluster, the given database. */
public final class TestGateways {

    /**
     * Rates no test class reaches from its one address, so that only the rate-limit tests meet 429s
     * (they set their own rates).
     */
    public static final RateLimits GENEROUS = new RateLimits(new RateLimits.Rate(100_000, Duration.ofMinutes(1)),
            new RateLimits.Rate(100_000, Duration.ofMinutes(1)));

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateways() {
    }

    /** A configuration on loopback with free ports and a cluster of its own. */
    public static GatewayConfig config(Path dataDir, DatabaseSettings database) {
        return GatewayConfig.onLoopback(dataDir, database, new ClusterSettings("test-" + UUID.randomUUID(), "127.0.0.1", 0, List.of()))
                .withShutdownGrace(Duration.ofSeconds(2))
                .withFilterNode(new FilterNodeSettings(true, "127.0.0.1", 0, new InetSocketAddress("127.0.0.1", 53),
                        Duration.ofMillis(500)))
                .withRateLimits(GENEROUS)
                .withHttp(new HttpSecurity(HttpSecurity.DEFAULT_REQUEST_HEAD_TIMEOUT, Optional.empty(), OptionalInt.of(0)));
    }

    /** An operator's token in a file of its own in {@code dir}, as an operator keeps it (never on a command line). */
    public static Path tokenFile(Path dir, String token) {
        Path file = dir.resolve("operator.token");
        try {
            Files.writeString(file, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** What Prometheus reads: {@code /metrics} on the gateway's operations port (metrics-port). */
    public static String metrics(Gateway gateway) throws Exception {
        HttpResponse<String> response = send(gateway.api().operationsPort().orElseThrow(), "GET", "/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode());
        }
        return response.body();
    }

    /**
     * Probes that may reach pages the tests serve on loopback (any unprivileged port), which the
     * gateway refuses by default.
     */
    public static final ProbeSettings LOOPBACK_PROBES = ProbeSettings.defaults()
            .allowing(List.of("127.0.0.0/8"), "1024-65535").withDeadline(Duration.ofSeconds(5));

    /** The same configuration with other HTTP security (TLS, client certificates, head timeout). */
    public static GatewayConfig withHttp(GatewayConfig c, HttpSecurity http) {
        return c.withHttp(http);
    }

    public static GatewayConfig embedded(Path dataDir) {
        return config(dataDir, DatabaseSettings.embedded(dataDir));
    }

    public static HttpResponse<String> send(Gateway gateway, String method, String path) throws Exception {
        return send(gateway.httpPort(), method, path);
    }

    public static HttpResponse<String> send(int port, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A request with a body and headers given as name, value, name, value… */
    public static HttpResponse<String> send(Gateway gateway, String method, String path, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends one HTTP/1.1 request as written (a Host header and {@code Connection: close} are added
     * after its first line) from a given loopback address, and returns the whole answer as text:
     * for requests an HTTP client would refuse to send.
     */
    public static String raw(int port, String localAddress, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            String whole = request.contains("\r\n") ? request : request + "\r\n\r\n";
            int endOfLine = whole.indexOf("\r\n");
            String withHost = whole.substring(0, endOfLine) + "\r\nHost: 127.0.0.1\r\nConnection: close"
                    + whole.substring(endOfLine);
            socket.getOutputStream().write(withHost.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (IOException e) {
                // The server may reset after answering a request whose body it did not read.
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** The status code of {@link #raw}'s answer. */
    public static int rawStatus(int port, String localAddress, String request) throws IOException {
        return Integer.parseInt(raw(port, localAddress, request).substring(9, 12));
    }

    /** The response is a problem document (RFC 9457) of this status and type. */
    public static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertProblem(response.statusCode(), response.headers().firstValue("Content-Type"), response.body(), status, type);
    }

    /** The same, for a response read as bytes. */
    public static void assertProblemBytes(HttpResponse<byte[]> response, int status, String type) {
        assertProblem(response.statusCode(), response.headers().firstValue("Content-Type"),
                new String(response.body(), java.nio.charset.StandardCharsets.UTF_8), status, type);
    }

    private static void assertProblem(int actualStatus, Optional<String> contentType, String body, int status, String type) {
        assertThat(actualStatus).as(body).isEqualTo(status);
        assertThat(contentType).contains("application/problem+json");
        JsonObject problem = new JsonObject(body);
        assertThat(problem.getString("type")).isEqualTo(type);
        assertThat(problem.getInteger("status")).isEqualTo(status);
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("detail")).isNotBlank();
    }
}
