package kz.qaqpa.gateway.appeals;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.AppealSettings;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.FeedSettings;
import kz.qaqpa.gateway.config.ProbeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One appellant's links drip a byte now and then; another appellant's link answers at once. The
 * second appeal's probe must not wait behind the first's, and the API must answer all the while.
 */
class AppealProbeIsolationTest {

    @TempDir
    Path dir;

    private HostileSite hostile;
    private WireMockServer site;
    private SigningGateway authority;

    @BeforeEach
    void start() throws Exception {
        hostile = new HostileSite("127.0.0.1");
        site = new WireMockServer(options().bindAddress("127.0.0.2").dynamicPort());
        site.start();
        site.stubFor(get("/removed").willReturn(aResponse().withStatus(404)));
        ProbeSettings probes = ProbeSettings.defaults().allowing(List.of("127.0.0.0/8"), "1024-65535")
                .withDeadline(Duration.ofSeconds(3));
        authority = new SigningGateway(dir, DeliverySettings.defaults(), FeedSettings.onAnyPort(),
                AppealSettings.defaults().withProbes(probes));
        authority.submit(DirectiveJson.restrict("12-3/456").domain("casino.kz", true).domain("bet.kz", true));
    }

    @AfterEach
    void stop() {
        authority.close();
        site.stop();
        hostile.close();
    }

    @Test
    void oneAppealsDrippingLinksDoNotDelayAnotherAppealsProbeNorTheApi() throws Exception {
        JsonArray drips = new JsonArray();
        for (int i = 0; i < 6; i++) {
            drips.add(hostile.url("/drip?n=" + i));
        }
        String slow = register("casino.kz", drips);
        String quick = register("bet.kz", new JsonArray().add("http://127.0.0.2:" + site.port() + "/removed"));

        JsonArray quickProbes = await().atMost(Duration.ofSeconds(30)).until(() -> probes(quick), list -> !list.isEmpty());
        assertThat(quickProbes.getJsonObject(0).getInteger("status")).isEqualTo(404);
        assertThat(probes(slow).size()).as("the dripping appeal's probes were still running").isLessThan(6);
        assertThat(hostile.openAnswers.get()).as("drips in flight beside it").isPositive();
        assertThat(send(authority.gateway, "GET", "/health/ready").statusCode()).isEqualTo(200);
        assertThat(send(authority.gateway, "GET", "/public/v1/lookup?q=casino.kz").statusCode()).isEqualTo(200);

        JsonArray slowProbes = await().atMost(Duration.ofSeconds(60)).until(() -> probes(slow), list -> list.size() == 6);
        assertThat(slowProbes).allSatisfy(probe ->
                assertThat(((JsonObject) probe).getString("error")).isEqualTo("no whole answer within 3000 ms"));
        await().until(() -> hostile.openAnswers.get() == 0);
    }

    private String register(String resource, JsonArray links) throws Exception {
        HttpResponse<String> created = send(authority.gateway, "POST", "/api/v1/appeals", new JsonObject()
                .put("kind", "OWNER").put("personalDataAcknowledged", true).put("personName", "Айгүл Серікқызы").put("iin", "990740000029")
                .put("email", "owner@example.kz").put("language", "kk").put("resource", resource)
                .put("directiveNumber", "12-3/456").put("links", links).put("message", "Материал жойылды.")
                .encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new JsonObject(created.body()).getString("number");
    }

    private JsonArray probes(String number) throws Exception {
        return new JsonObject(authority.as(SigningGateway.ADMIN, "GET", "/api/v1/appeals/" + number, null).body())
                .getJsonArray("probes");
    }
}
