package kz.qaqpa.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.gateway.config.GatewayConfig;

/** Gateways for tests: free ports, a private cluster, the given database. */
public final class TestGateways {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateways() {
    }

    /** A configuration on loopback with free ports and a cluster of its own. */
    public static GatewayConfig config(Path dataDir, DatabaseSettings database) {
        return new GatewayConfig("127.0.0.1", 0, dataDir, database,
                new ClusterSettings("test-" + UUID.randomUUID(), "127.0.0.1", 0, List.of()),
                Optional.empty(), Duration.ofSeconds(2));
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
}
