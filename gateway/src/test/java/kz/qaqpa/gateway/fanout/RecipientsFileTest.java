package kz.qaqpa.gateway.fanout;

import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.TestGateways;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipients listed in the configuration are registered at start and kept in step with the file. */
class RecipientsFileTest {

    private static final String KCELL_TOKEN = "qaqpa_kcell-token-known-only-to-kcell";

    @TempDir
    Path dir;

    @Test
    void listedRecipientsAreRegisteredWithTheirTokenAndFollowTheFileOnRestart() throws Exception {
        Path file = dir.resolve("recipients.yaml");
        Files.writeString(file, recipients("Kcell JSC"));

        try (Gateway gateway = Gateway.start(config(file))) {
            JsonObject kcell = new JsonObject(admin(gateway, "/api/v1/operators/kcell").body());
            assertThat(kcell.getString("name")).isEqualTo("Kcell JSC");
            assertThat(kcell.getString("channel")).isEqualTo("WEBHOOK");
            assertThat(new JsonObject(admin(gateway, "/api/v1/operators/sts").body()).getString("role"))
                    .isEqualTo("STATE_TECHNICAL_SERVICE");
            // Kcell's token is known to the gateway by its hash alone, and works.
            assertProblem(ack(gateway, KCELL_TOKEN), 404, "urn:qaqpa:problem:not-found");
            assertProblem(ack(gateway, "qaqpa_someone-else"), 401, "urn:qaqpa:problem:unauthorized");
        }

        Files.writeString(file, recipients("Kcell Kazakhstan"));
        try (Gateway gateway = Gateway.start(config(file))) {
            assertThat(new JsonObject(admin(gateway, "/api/v1/operators/kcell").body()).getString("name"))
                    .isEqualTo("Kcell Kazakhstan");
        }
    }

    @Test
    void aBadEntryStopsTheStartNamingTheEntryAndTheField() throws Exception {
        Path file = dir.resolve("recipients.yaml");
        Files.writeString(file, recipients("Kcell JSC").replace("\"990740000029\"", "\"123456789012\""));

        assertThatThrownBy(() -> Gateway.start(config(file))).isInstanceOf(StartupException.class)
                .hasMessageContaining("entry 1").hasMessageContaining("bin:");
    }

    private static String recipients(String kcellName) {
        return """
                - id: kcell
                  name: %s
                  bin: "990740000029"
                  channel: WEBHOOK
                  settings: {url: "http://127.0.0.1:9/never"}
                  token-sha256: %s
                - id: sts
                  name: State Technical Service
                  bin: "990740000029"
                  role: STATE_TECHNICAL_SERVICE
                  channel: PULL_ONLY
                  token-sha256: %s
                """.formatted(kcellName, Sha256.hex(KCELL_TOKEN), Sha256.hex("sts-token"));
    }

    private GatewayConfig config(Path file) {
        GatewayConfig base = TestGateways.embedded(dir.resolve("data"));
        DeliverySettings delivery = DeliverySettings.defaults();
        return base.withDelivery(new DeliverySettings(delivery.gatewayKey(), delivery.gatewayCertificate(), delivery.timeout(),
                delivery.deadAfter(), delivery.restrictAckWindow(), delivery.restoreAckWindow(), Optional.of(file)));
    }

    private HttpResponse<String> admin(Gateway gateway, String path) throws Exception {
        String token = Files.readString(dir.resolve("data/admin-token")).strip();
        return send(gateway, "GET", path, new byte[0], "Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> ack(Gateway gateway, String token) throws Exception {
        return send(gateway, "POST", "/api/v1/acks", "{\"directiveId\": 1, \"status\": \"ENFORCED\"}"
                .getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }
}
