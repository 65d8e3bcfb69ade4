package kz.qaqpa.gateway.http;

import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import kz.qaqpa.directives.store.TableSnapshot;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page of another site that makes its visitors' browsers file appeals here (to flood someone's
 * inbox from the gateway's mail), and one that frames the appeal form: both refused.
 */
class CrossSiteTest {

    private static final byte[] FORM = "kind=USER&language=en&email=victim%40example.kz".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(TestGateways.embedded(dir));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void anAppealPostedFromAnotherSitesPageIsRefusedAndNothingIsStored() throws Exception {
        Map<String, String> before = TableSnapshot.of(gateway.database().dataSource());

        assertProblem(post("/appeal", "Origin", "https://evil.example"), 403, "urn:qaqpa:problem:cross-site-request");
        assertProblem(post("/appeal", "Origin", "null"), 403, "urn:qaqpa:problem:cross-site-request");
        assertProblem(send(gateway, "POST", "/appeal", FORM, "Content-Type", "application/x-www-form-urlencoded",
                "Origin", "null", "Sec-Fetch-Site", "cross-site"), 403, "urn:qaqpa:problem:cross-site-request");
        assertProblem(post("/appeal", "Sec-Fetch-Site", "cross-site"), 403, "urn:qaqpa:problem:cross-site-request");
        assertProblem(send(gateway, "POST", "/api/v1/appeals", "{}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Origin", "https://evil.example"), 403, "urn:qaqpa:problem:cross-site-request");
        assertThat(TableSnapshot.of(gateway.database().dataSource())).isEqualTo(before);

        // From the gateway's own page, and from a program that sends no Origin, the form is judged.
        assertThat(post("/appeal", "Origin", "http://127.0.0.1:" + gateway.httpPort()).statusCode()).isEqualTo(422);
        assertThat(post("/appeal", "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(422);
        // What a browser sends from our own page, which asks for no referrer: Origin null, same-origin.
        assertThat(send(gateway, "POST", "/appeal", FORM, "Content-Type", "application/x-www-form-urlencoded",
                "Origin", "null", "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(422);
    }

    @Test
    void pagesAllowOnlyTheirOwnStyleAndScriptAndNoFramingAndNoAnswerIsSniffed() throws Exception {
        HttpResponse<String> page = send(gateway, "GET", "/appeal");
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("frame-ancestors 'none'", "default-src 'none'", "script-src 'sha256-", "style-src 'sha256-")
                .doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(send(gateway, "GET", "/api/v1/openapi.json").headers().firstValue("X-Content-Type-Options"))
                .contains("nosniff");
        assertThat(send(gateway, "GET", "/nope").headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    private static HttpResponse<String> post(String path, String header, String value) throws Exception {
        return send(gateway, "POST", path, FORM, "Content-Type", "application/x-www-form-urlencoded", header, value);
    }
}
