package kz.qaqpa.gateway.fanout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.adapters.TestFtpServer;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway fanning directives out to three operators, one per channel — a webhook (WireMock), an
 * FTP drop (Apache MINA FtpServer) and e-mail (GreenMail) — and the State Technical Service, which
 * pulls; registered, acknowledged and watched through the API.
 */
class FanOutApiTest {

    private static final String ADMIN = SigningGateway.ADMIN;
    private static final String CMS = "application/pkcs7-mime";
    private static final String JSON = "application/json";
    private static final String BIN = "990740000029";
    private static final Duration DELIVERED = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static OpenSslPki pki;
    private static Signer signer;
    private static WireMockServer webhook;
    private static TestFtpServer ftp;
    private static GreenMail mail;
    private static SigningGateway authority;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        webhook = new WireMockServer(options().dynamicPort());
        webhook.start();
        webhook.stubFor(post("/qaqpa").willReturn(aResponse().withStatus(202)));
        Files.createDirectories(dir.resolve("ftp/inbox"));
        ftp = new TestFtpServer(dir.resolve("ftp"), null, null);
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        authority = new SigningGateway(dir, new DeliverySettings(Optional.empty(), Optional.empty(), Duration.ofSeconds(5),
                Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(1), Optional.empty()));
        pki = authority.pki;
        signer = authority.signer;
        gateway = authority.gateway;
    }

    @AfterAll
    static void stop() {
        authority.close();
        mail.stop();
        ftp.close();
        webhook.stop();
    }

    @Test
    void restrictThenRestoreReachEveryChannelInOrderAndTheAcksShowInTheDeliveries() throws Exception {
        String kcell = register("kcell", "OPERATOR", "WEBHOOK", new JsonObject().put("url", webhook.baseUrl() + "/qaqpa"));
        String telecom = register("telecom", "OPERATOR", "FTP", new JsonObject().put("host", "127.0.0.1")
                .put("port", ftp.port()).put("user", TestFtpServer.USER).put("password", TestFtpServer.PASSWORD)
                .put("directory", "inbox").put("allowPlaintextCredentials", true));
        String beeline = register("beeline", "OPERATOR", "EMAIL", new JsonObject().put("host", "127.0.0.1")
                .put("port", mail.getSmtp().getPort()).put("from", "qaqpa@gateway.kz")
                .put("to", new JsonArray().add("noc@beeline.kz")));
        register("sts", "STATE_TECHNICAL_SERVICE", "PULL_ONLY", null);

        long restrict = submit(DirectiveJson.restrict("FAN-1").domain("casino.kz", true));
        long restore = submit(DirectiveJson.restore("FAN-2", "FAN-1"));

        await().atMost(DELIVERED).until(() -> statuses(restrict).equals(List.of("DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED"))
                && statuses(restore).equals(List.of("DELIVERED", "DELIVERED", "DELIVERED", "DELIVERED")));
        assertThat(webhook.findAll(postRequestedFor(urlEqualTo("/qaqpa"))).stream()
                .map(request -> new JsonObject(request.getBodyAsString()).getJsonObject("directive").getString("number")))
                .containsExactly("FAN-1", "FAN-2");
        assertThat(dir.resolve("ftp/inbox/FAN-1.json")).exists();
        assertThat(dir.resolve("ftp/inbox/FAN-2.p7s")).exists();
        MimeMessage[] messages = mail.getReceivedMessages();
        assertThat(messages).extracting(MimeMessage::getSubject).satisfiesExactly(
                first -> assertThat(first).contains("FAN-1", "ограничение доступа"),
                second -> assertThat(second).contains("FAN-2", "возобновление доступа"));
        for (String recipient : List.of("kcell", "telecom", "beeline")) {
            assertThat(delivery(restrict, recipient).getString("deliveredAt"))
                    .isLessThanOrEqualTo(delivery(restore, recipient).getString("deliveredAt"));
        }

        assertThat(ack(kcell, restrict, "ENFORCED").statusCode()).isEqualTo(201);
        assertThat(ack(kcell, restrict, "ENFORCED").statusCode()).as("the first one counts").isEqualTo(200);
        assertProblem(ack(kcell, restrict, "RESUMED"), 422, "urn:qaqpa:problem:acknowledgement-mismatch");
        assertThat(ack(telecom, restore, "RESUMED").statusCode()).isEqualTo(201);
        assertProblem(ack(ADMIN, restrict, "ENFORCED"), 403, "urn:qaqpa:problem:forbidden");

        JsonObject kcellsView = delivery(restrict, "kcell");
        assertThat(kcellsView.getString("acknowledgement")).isEqualTo("ENFORCED");
        assertThat(kcellsView.getBoolean("overdue")).isFalse();
        assertThat(kcellsView.getString("idempotencyKey")).startsWith("qaqpa-delivery-");
        assertThat(delivery(restrict, "beeline").containsKey("acknowledgement")).isFalse();
        JsonObject asKcell = new JsonObject(send(gateway, "GET", "/api/v1/directives/" + restrict + "/deliveries",
                new byte[0], "Authorization", "Bearer " + kcell).body());
        assertThat(asKcell.getJsonArray("deliveries")).hasSize(1);
        assertThat(asKcell.getJsonArray("deliveries").getJsonObject(0).getString("recipient")).isEqualTo("kcell");
        assertProblem(send(gateway, "GET", "/api/v1/directives/" + restrict + "/deliveries", new byte[0],
                "Authorization", "Bearer not-a-token"), 401, "urn:qaqpa:problem:unauthorized");

        DirectiveJson onlyKcell = DirectiveJson.restrict("FAN-3").domain("only-kcell.kz", false);
        onlyKcell.tree().putArray("recipients").add("kcell");
        long addressed = submit(onlyKcell);
        assertThat(deliveries(addressed)).extracting(d -> ((JsonObject) d).getString("recipient"))
                .containsExactly("kcell", "sts");
        // A directive not addressed to Beeline answers Beeline as one that does not exist: nothing confirms it.
        HttpResponse<String> notAddressed = send(gateway, "GET", "/api/v1/directives/" + addressed + "/deliveries",
                new byte[0], "Authorization", "Bearer " + beeline);
        HttpResponse<String> unknown = send(gateway, "GET", "/api/v1/directives/987654/deliveries", new byte[0],
                "Authorization", "Bearer " + beeline);
        assertProblem(notAddressed, 404, "urn:qaqpa:problem:not-found");
        assertProblem(unknown, 404, "urn:qaqpa:problem:not-found");
        assertThat(new JsonObject(notAddressed.body()).getString("detail"))
                .isEqualTo(new JsonObject(unknown.body()).getString("detail").replace("987654", Long.toString(addressed)));
        assertProblem(ack(beeline, addressed, "ENFORCED"), 404, "urn:qaqpa:problem:not-found");
    }

    @Test
    void directiveAddressedToAnUnknownOperatorIsRefusedAndNotStored() throws Exception {
        DirectiveJson json = DirectiveJson.restrict("NOBODY-1").domain("nobody.kz", false);
        json.tree().putArray("recipients").add("no-such-operator");

        HttpResponse<String> refused = send(gateway, "POST", "/api/v1/directives",
                pki.signAttached(signer, json.bytes(), Encoding.DER), "Content-Type", CMS);

        assertProblem(refused, 422, "urn:qaqpa:problem:unknown-recipient");
        assertThat(new JsonObject(admin("GET", "/api/v1/directives?number=NOBODY-1", null).body())
                .getJsonArray("items")).isEmpty();
    }

    @Test
    void registrationChecksEveryFieldShowsTheTokenOnceAndRotationRevokesTheOldOne() throws Exception {
        HttpResponse<String> invalid = admin("POST", "/api/v1/operators", new JsonObject().put("id", "Bad Id")
                .put("name", "X").put("bin", "123456789012").put("channel", "WEBHOOK")
                .put("settings", new JsonObject().put("url", "ftp://example.kz/")));
        assertProblem(invalid, 422, "urn:qaqpa:problem:recipient-invalid");
        assertThat(new JsonObject(invalid.body()).getJsonArray("errors").encode())
                .contains("id:", "bin:", "settings.url:");
        assertProblem(admin("POST", "/api/v1/operators", new JsonObject().put("id", "x").put("name", "X")
                .put("bin", BIN).put("channel", "WEBHOOK").put("colour", "red")), 400, "urn:qaqpa:problem:bad-request");
        assertProblem(send(gateway, "GET", "/api/v1/operators", new byte[0]), 401, "urn:qaqpa:problem:unauthorized");

        String token = register("tele2", "OPERATOR", "FTP", new JsonObject().put("host", "ftp.tele2.kz")
                .put("user", "qaqpa").put("password", "very-secret").put("tls", true));
        assertProblem(admin("POST", "/api/v1/operators", new JsonObject().put("id", "tele2").put("name", "Again")
                .put("bin", BIN).put("channel", "PULL_ONLY")), 409, "urn:qaqpa:problem:recipient-exists");
        HttpResponse<String> read = admin("GET", "/api/v1/operators/tele2", null);
        assertThat(read.body()).doesNotContain(token).doesNotContain("very-secret").contains("\"password\":\"***\"");

        JsonObject rotated = new JsonObject(admin("PATCH", "/api/v1/operators/tele2",
                new JsonObject().put("rotateToken", true).put("name", "Tele2 Kazakhstan")).body());
        assertThat(rotated.getString("name")).isEqualTo("Tele2 Kazakhstan");
        String fresh = rotated.getString("token");
        assertThat(fresh).isNotEqualTo(token);
        assertProblem(ack(token, 1, "ENFORCED"), 401, "urn:qaqpa:problem:unauthorized");
        assertProblem(ack(fresh, 1, "ENFORCED"), 404, "urn:qaqpa:problem:not-found");

        admin("PATCH", "/api/v1/operators/tele2", new JsonObject().put("active", false));
        assertProblem(ack(fresh, 1, "ENFORCED"), 401, "urn:qaqpa:problem:unauthorized");
        assertProblem(admin("PATCH", "/api/v1/operators/nobody", new JsonObject().put("active", false)),
                404, "urn:qaqpa:problem:not-found");
    }

    private static String register(String id, String role, String channel, JsonObject settings) throws Exception {
        JsonObject body = new JsonObject().put("id", id).put("name", "Operator " + id).put("bin", BIN)
                .put("role", role).put("channel", channel);
        if (settings != null) {
            body.put("settings", settings);
        }
        HttpResponse<String> created = admin("POST", "/api/v1/operators", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new JsonObject(created.body()).getString("token");
    }

    private static long submit(DirectiveJson json) throws Exception {
        HttpResponse<String> accepted = send(gateway, "POST", "/api/v1/directives",
                pki.signAttached(signer, json.bytes(), Encoding.DER), "Content-Type", CMS);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        return new JsonObject(accepted.body()).getLong("id");
    }

    private static HttpResponse<String> ack(String token, long directive, String status) throws Exception {
        return send(gateway, "POST", "/api/v1/acks", new JsonObject().put("directiveId", directive).put("status", status)
                .encode().getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + token, "Content-Type", JSON);
    }

    private static HttpResponse<String> admin(String method, String path, JsonObject body) throws Exception {
        return body == null
                ? send(gateway, method, path, new byte[0], "Authorization", "Bearer " + ADMIN)
                : send(gateway, method, path, body.encode().getBytes(StandardCharsets.UTF_8),
                        "Authorization", "Bearer " + ADMIN, "Content-Type", JSON);
    }

    private static JsonArray deliveries(long directive) throws Exception {
        return new JsonObject(admin("GET", "/api/v1/directives/" + directive + "/deliveries", null).body())
                .getJsonArray("deliveries");
    }

    private static List<String> statuses(long directive) throws Exception {
        return deliveries(directive).stream().map(d -> ((JsonObject) d).getString("status")).toList();
    }

    private static JsonObject delivery(long directive, String recipient) throws Exception {
        return deliveries(directive).stream().map(JsonObject.class::cast)
                .filter(d -> d.getString("recipient").equals(recipient)).findFirst().orElseThrow();
    }
}
