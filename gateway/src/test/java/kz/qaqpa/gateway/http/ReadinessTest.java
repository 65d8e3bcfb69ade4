package kz.qaqpa.gateway.http;

import static kz.qaqpa.gateway.TestGateways.send;
import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway whose dependencies fail says so on /health/ready, naming what is down. */
class ReadinessTest {

    @TempDir
    Path dataDir;

    private Gateway gateway;

    @BeforeEach
    void start() {
        gateway = Gateway.start(TestGateways.embedded(dataDir));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void notReadyWhenTheClusterMemberIsGone() throws Exception {
        gateway.cluster().hazelcast().getLifecycleService().terminate();

        HttpResponse<String> response = send(gateway, "GET", "/health/ready");

        assertProblem(response, 503, "urn:qaqpa:problem:not-ready");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("detail")).contains("cluster").doesNotContain("database");
        assertThat(problem.getJsonObject("checks").getString("cluster")).isEqualTo("DOWN");
        assertThat(problem.getJsonObject("checks").getString("database")).isEqualTo("UP");
    }

    @Test
    void notReadyWhenTheDatabaseIsGone() throws Exception {
        gateway.database().close();

        HttpResponse<String> response = send(gateway, "GET", "/health/ready");

        assertProblem(response, 503, "urn:qaqpa:problem:not-ready");
        assertThat(new JsonObject(response.body()).getJsonObject("checks").getString("database")).isEqualTo("DOWN");
    }

    @Test
    void stillLiveWhileNotReady() throws Exception {
        gateway.database().close();

        assertThat(send(gateway, "GET", "/health/live").statusCode()).isEqualTo(200);
    }
}
