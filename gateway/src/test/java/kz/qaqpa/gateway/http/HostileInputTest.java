package kz.qaqpa.gateway.http;

import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import kz.qaqpa.gateway.EmbeddedGateway;
import kz.qaqpa.gateway.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What anyone on the network may send to the endpoints open to everyone: each gets a clear 4xx. */
class HostileInputTest {

    @RegisterExtension
    static final EmbeddedGateway GATEWAY = new EmbeddedGateway();

    @Test
    void deeplyNestedJsonIsABadRequest() throws Exception {
        String nested = "{\"directiveNumber\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        assertProblem(appeal(nested.getBytes(StandardCharsets.UTF_8)), 400, "urn:qaqpa:problem:bad-request");
    }

    @Test
    void invalidUtf8IsABadRequest() throws Exception {
        byte[] body = "{\"directiveNumber\":\"A-\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertProblem(appeal(body), 400, "urn:qaqpa:problem:bad-request");
    }

    @Test
    void oversizedBodyIsTooLarge() throws Exception {
        // An appeal is a few kilobytes: 64 KiB is its limit, whatever a directive's is.
        assertProblem(appeal(new byte[64 * 1024 + 1]), 413, "urn:qaqpa:problem:payload-too-large");
    }

    @Test
    void lookUpOfBadlyEncodedOrHugeTextIsABadRequest() throws Exception {
        assertProblem(send(GATEWAY.gateway(), "GET", "/public/v1/lookup?q=%ff%fe"), 400, "urn:qaqpa:problem:bad-request");
        String badEscape = TestGateways.raw(GATEWAY.gateway().httpPort(), "127.0.0.1", "GET /public/v1/lookup?q=%zz HTTP/1.1");
        assertThat(badEscape).startsWith("HTTP/1.1 400").contains("application/problem+json");
        assertProblem(send(GATEWAY.gateway(), "GET", "/public/v1/lookup?q=" + "a.".repeat(200) + "kz"), 400,
                "urn:qaqpa:problem:bad-request");
    }

    @Test
    void overlongRequestLineAndHeadersAreProblemsAndTheConnectionIsClosed() throws Exception {
        int port = GATEWAY.gateway().httpPort();
        String longLine = TestGateways.raw(port, "127.0.0.1", "GET /public/v1/lookup?q=" + "a".repeat(10_000) + " HTTP/1.1");
        assertThat(longLine).matches("(?s)HTTP/1.[01] 414.*").contains("urn:qaqpa:problem:uri-too-long");
        String bigHeaders = TestGateways.raw(port, "127.0.0.1", "GET /health/live HTTP/1.1\r\nX-Filler: "
                + "a".repeat(20_000) + "\r\n\r\n");
        assertThat(bigHeaders).matches("(?s)HTTP/1.[01] 431.*").contains("urn:qaqpa:problem:headers-too-large");
        String notHttp = TestGateways.raw(port, "127.0.0.1", "\u0016\u0003\u0001 hello HTTP/9");
        assertThat(notHttp).matches("(?s)HTTP/1.[01] 400.*").contains("application/problem+json");
    }

    private static HttpResponse<String> appeal(byte[] body) throws Exception {
        return send(GATEWAY.gateway(), "POST", "/api/v1/appeals", body, "Content-Type", "application/json");
    }
}
