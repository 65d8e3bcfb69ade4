package kz.qaqpa.gateway.http;

import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import kz.qaqpa.gateway.EmbeddedGateway;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP contract every client relies on, spoken to a gateway on embedded defaults. */
class GatewayHttpTest {

    @RegisterExtension
    static final EmbeddedGateway GATEWAY = new EmbeddedGateway();

    private final Gateway gateway = GATEWAY.gateway();

    @Test
    void readyWhenDatabaseAndClusterAreUp() throws Exception {
        HttpResponse<String> response = send(gateway, "GET", "/health/ready");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject checks = new JsonObject(response.body()).getJsonObject("checks");
        assertThat(checks.getString("database")).isEqualTo("UP");
        assertThat(checks.getString("cluster")).isEqualTo("UP");
    }

    @Test
    void liveAnswersUp() throws Exception {
        HttpResponse<String> response = send(gateway, "GET", "/health/live");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("status")).isEqualTo("UP");
    }

    @Test
    void unknownRouteIsANotFoundProblem() throws Exception {
        HttpResponse<String> response = send(gateway, "GET", "/nope");

        assertProblem(response, 404, "urn:qaqpa:problem:not-found");
        assertThat(new JsonObject(response.body()).getString("instance")).isEqualTo("/nope");
    }

    @Test
    void unknownRouteUnderTheApiIsANotFoundProblem() throws Exception {
        assertProblem(send(gateway, "DELETE", "/api/v1/nothing/here"), 404, "urn:qaqpa:problem:not-found");
    }

    @Test
    void wrongMethodIsAMethodNotAllowedProblemThatListsTheAllowedOnes() throws Exception {
        HttpResponse<String> response = send(gateway, "POST", "/health/ready");

        assertProblem(response, 405, "urn:qaqpa:problem:method-not-allowed");
        assertThat(response.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void metricsShowJvmHttpPoolAndClusterSeries() throws Exception {
        send(gateway, "GET", "/health/live");

        HttpResponse<String> response = send(gateway.api().operationsPort().orElseThrow(), "GET", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body())
                .contains("jvm_memory_used_bytes")
                .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/health/live\",status=\"200\"}")
                .contains("hikaricp_connections_max{pool=\"qaqpa\"}")
                .contains("hazelcast_cluster_members 1.0");
    }

    @Test
    void metricsLabelUnknownPathsByNoRouteSoClientsCannotInflateThem() throws Exception {
        send(gateway, "GET", "/random-" + System.nanoTime());

        String metrics = TestGateways.metrics(gateway);

        assertThat(metrics).contains("route=\"unmatched\",status=\"404\"").doesNotContain("/random-");
    }

    @Test
    void metricsOnTheApiPortNeedTheAdminTokenAndTheOperationsPortListensOnLoopbackOnly() throws Exception {
        assertProblem(send(gateway, "GET", "/metrics"), 401, "urn:qaqpa:problem:unauthorized");
        int operations = gateway.api().operationsPort().orElseThrow();
        assertThat(send(operations, "GET", "/health/ready").statusCode()).isEqualTo(200);
        assertProblem(send(operations, "GET", "/api/v1/directives"), 404, "urn:qaqpa:problem:not-found");
        // Bound to loopback only (what ss sees), so nothing beyond this host reaches it.
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/ss")), "needs ss");
        Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + operations).redirectErrorStream(true).start();
        String listening = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(listening.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).containsPattern("(^|\\s|\\[::ffff:)127\\.0\\.0\\.1\\]?:" + operations));
    }

    @Test
    void embeddedDatabaseLivesInTheDataDirectory() {
        assertThat(GATEWAY.dataDir().resolve("qaqpa.mv.db")).exists();
    }

    @Test
    void closedGatewayNoLongerAcceptsConnections(@TempDir Path otherDataDir) throws Exception {
        Gateway other = Gateway.start(TestGateways.embedded(otherDataDir));
        int port = other.httpPort();
        assertThat(send(port, "GET", "/health/live").statusCode()).isEqualTo(200);

        other.close();

        assertThatThrownBy(() -> send(port, "GET", "/health/live")).isInstanceOf(IOException.class);
        assertThat(other.cluster().isUp()).isFalse();
        assertThat(other.database().isReachable()).isFalse();
    }
}
