package kz.qaqpa.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import kz.qaqpa.pull.PullClient.PullException;

/**
 * A gateway as its clients ask it: GET with the bearer token when there is one, gzip accepted, and
 * every answer bounded — an unreachable gateway or an answer other than 200 is exit 5 with the
 * problem's detail, a small document larger than {@value #MAX_SMALL_BYTES} bytes exit 4.
 */
public final class GatewayHttp {

    /** A manifest, a signature, a tree head or a proof is a few hundred bytes. */
    static final int MAX_SMALL_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI gateway;
    private final Optional<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param gateway its base URL, ending in {@code /} */
    public GatewayHttp(URI gateway, Optional<String> token) {
        this.gateway = gateway;
        this.token = token;
    }

    public URI gateway() {
        return gateway;
    }

    HttpResponse<InputStream> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .header("Accept-Encoding", "gzip")
                .timeout(Duration.ofMinutes(10))
                .GET();
        token.ifPresent(bearer -> request.header("Authorization", "Bearer " + bearer));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new PullException(5, "cannot reach " + gateway + ": " + e.getMessage());
        }
    }

    /** Posts {@code json} to {@code path}. */
    HttpResponse<InputStream> post(String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(1))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        token.ifPresent(bearer -> request.header("Authorization", "Bearer " + bearer));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new PullException(5, "cannot reach " + gateway + ": " + e.getMessage());
        }
    }

    /** A small document at {@code path}: at most {@value #MAX_SMALL_BYTES} bytes of it. */
    byte[] small(String path, String what) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = get(path);
        expectOk(response, what);
        try (InputStream body = decoded(response)) {
            byte[] bytes = body.readNBytes(MAX_SMALL_BYTES + 1);
            if (bytes.length > MAX_SMALL_BYTES) {
                throw new PullException(4, what + " is larger than " + MAX_SMALL_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** A small JSON document at {@code path}. */
    JsonNode json(String path, String what) throws IOException, InterruptedException {
        byte[] bytes = small(path, what);
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new PullException(4, what + " is not JSON");
        }
    }

    static void expectOk(HttpResponse<InputStream> response, String what) throws IOException {
        if (response.statusCode() == 200) {
            return;
        }
        String problem;
        try (InputStream body = decoded(response)) {
            problem = new String(body.readNBytes(4096), StandardCharsets.UTF_8);
        }
        String detail = problem;
        try {
            detail = JSON.readTree(problem).path("detail").asText(problem);
        } catch (IOException | RuntimeException e) {
            // not a problem document; show it as it is
        }
        throw new PullException(5, "the gateway answered " + response.statusCode() + " for " + what + ": " + detail);
    }

    static InputStream decoded(HttpResponse<InputStream> response) throws IOException {
        boolean gzip = response.headers().firstValue("Content-Encoding").map(value -> value.equalsIgnoreCase("gzip")).orElse(false);
        return gzip ? new GZIPInputStream(response.body()) : response.body();
    }
}
