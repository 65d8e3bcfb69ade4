package kz.qaqpa.gateway.ops;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.TestGateways;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.TrustFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA revokes a signer's certificate and publishes a new CRL into the file the gateway reads: the
 * running gateway refuses that signer from then on, without a restart. A CRL left past its
 * nextUpdate makes the gateway not ready, naming it.
 */
class CrlReloadTest {

    @TempDir
    Path dir;

    @Test
    void aCrlReplacedOnDiskIsHonouredWithoutARestartAndAStaleOneMakesTheGatewayNotReady() throws Exception {
        OpenSslPki pki = OpenSslPki.create(dir.resolve("pki"), "CRL Test CA");
        Signer kept = pki.issue("kept", KeyType.EC_P256);
        Signer revoked = pki.issue("revoked", KeyType.EC_P256);
        Path crl = dir.resolve("ca.crl");
        Files.copy(pki.crlRevoking(), crl);
        GatewayConfig base = TestGateways.embedded(dir.resolve("data"));
        GatewayConfig config = base.withTrust(new TrustFiles(List.of(pki.caCertificate()),
                List.of(kept.certificate(), revoked.certificate()), java.util.Map.of(), List.of(crl), Duration.ZERO));

        try (Gateway gateway = Gateway.start(config)) {
            assertThat(submit(gateway, pki, revoked, "R-1").statusCode()).isEqualTo(201);

            Files.move(pki.crlRevoking(revoked), crl, StandardCopyOption.REPLACE_EXISTING);

            java.util.concurrent.atomic.AtomicInteger attempt = new java.util.concurrent.atomic.AtomicInteger(1);
            HttpResponse<String> refused = await().atMost(Duration.ofSeconds(60)).until(
                    () -> submit(gateway, pki, revoked, "R-" + attempt.incrementAndGet()), answer -> answer.statusCode() != 201);
            TestGateways.assertProblem(refused, 403, "urn:qaqpa:problem:certificate-revoked");
            assertThat(submit(gateway, pki, kept, "K-1").statusCode()).isEqualTo(201);
            assertThat(send(gateway, "GET", "/health/ready").statusCode()).isEqualTo(200);

            // A CRL due for renewal in a second, never renewed: with no grace, the gateway stops being ready.
            Files.move(pki.crlRevoking(Duration.ofSeconds(1)), crl, StandardCopyOption.REPLACE_EXISTING);
            HttpResponse<String> stale = await().atMost(Duration.ofSeconds(60))
                    .until(() -> send(gateway, "GET", "/health/ready"), answer -> answer.statusCode() == 503);
            assertThat(new JsonObject(stale.body()).getJsonObject("checks").getString("crl")).isEqualTo("DOWN");
            assertThat(new JsonObject(stale.body()).getString("detail"))
                    .contains("the CRL of CN=CRL Test CA", crl.toString(), "was due for renewal");
            // Prometheus sees the same: the check down, and when the CRL fell due (QaqpaCrlDueSoon's input).
            String metrics = TestGateways.metrics(gateway);
            assertThat(metrics).contains("qaqpa_ready{check=\"crl\"} 0.0").contains("qaqpa_ready{check=\"database\"} 1.0");
            double due = metrics.lines().filter(line -> line.startsWith("qaqpa_crl_next_update_timestamp_seconds "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElseThrow();
            assertThat(due).isBetween(Instant.now().minusSeconds(120).getEpochSecond() * 1.0, Instant.now().getEpochSecond() * 1.0);
        }
    }

    private static HttpResponse<String> submit(Gateway gateway, OpenSslPki pki, Signer signer, String number) throws Exception {
        return send(gateway, "POST", "/api/v1/directives", pki.signAttached(signer,
                DirectiveJson.restrict(number).domain(number.toLowerCase() + ".kz", false).bytes(), Encoding.DER),
                "Content-Type", "application/pkcs7-mime");
    }
}
