package kz.qaqpa.gateway.log;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.log.LogLeaf;
import kz.qaqpa.blocklist.model.log.TreeHead;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.GatewayConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocklist's Merkle log as auditors and operators read it: the signed tree head verifies with
 * openssl and the gateway's certificate alone; an independent implementation of RFC 9162 (Python's
 * hashlib, in the test resources) recomputes every leaf, the root and every proof from what the
 * API answers for a random history of restrictions and restorations; and a gateway whose database
 * log was altered underneath refuses to sign a head over it.
 */
class LogApiTest {

    @TempDir
    Path dir;
    private SigningGateway authority;
    private String operator;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        operator = authority.register("auditing", "OPERATOR", "PULL_ONLY", null);
    }

    @AfterEach
    void stop() {
        authority.close();
    }

    @Test
    void theTreeHeadIsSignedByTheGatewayAndOpensslVerifiesItWithTheCertificateAlone() throws Exception {
        authority.submit(DirectiveJson.restrict("H-1").domain("casino.kz", true).domain("bet.kz", false));
        Instant asked = Instant.now();

        TreeHead head = treeHead("/api/v1/log/sth");

        assertThat(head.treeSize()).isEqualTo(2);
        assertThat(head.timestamp()).isBetween(asked.minusSeconds(1), Instant.now());
        assertThat(head.expires()).isEqualTo(head.timestamp().plusSeconds(60));
        assertThat(treeHead("/public/v1/log/sth")).as("the public head is the same statement").isEqualTo(head);
    }

    @Test
    void anIndependentRfc9162ImplementationRecomputesEveryLeafTheRootAndEveryProof() throws Exception {
        Random random = new Random(20261203);
        List<String> active = new ArrayList<>();
        for (int i = 1; i <= 24; i++) {
            if (!active.isEmpty() && random.nextInt(4) == 0) {
                String cancelled = active.remove(random.nextInt(active.size()));
                authority.submit(DirectiveJson.restore("R-" + i, cancelled));
            } else {
                DirectiveJson restrict = DirectiveJson.restrict("D-" + i);
                Set<Integer> sites = new TreeSet<>();
                for (int t = 0; t < 1 + random.nextInt(3); t++) {
                    sites.add(random.nextInt(30));
                }
                sites.forEach(site -> restrict.domain("site" + site + ".kz", site % 2 == 0));
                authority.submit(restrict);
                active.add("D-" + i);
            }
        }
        TreeHead head = treeHead("/api/v1/log/sth");
        long size = head.treeSize();
        assertThat(size).as("the history made changes").isGreaterThan(20);

        JsonArray consistency = new JsonArray();
        JsonArray inclusion = new JsonArray();
        for (long second = 1; second <= size; second++) {
            for (long first = 0; first <= second; first++) {
                consistency.add(json("/public/v1/log/consistency?first=" + first + "&second=" + second));
            }
            for (long serial = 1; serial <= second; serial++) {
                inclusion.add(json("/public/v1/log/inclusion?serial=" + serial + "&size=" + second));
            }
        }
        JsonObject answered = new JsonObject()
                .put("leaves", json("/api/v1/log/leaves?from=1&to=" + size).getJsonArray("leaves"))
                .put("sth", new JsonObject().put("treeSize", size).put("rootHash", head.rootHash()))
                .put("consistency", consistency).put("inclusion", inclusion);
        Path file = dir.resolve("answered.json");
        Files.writeString(file, answered.encode());

        Process python = new ProcessBuilder("python3", script().toString(), file.toString()).redirectErrorStream(true).start();
        String said = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor()).as(said).isZero();
        assertThat(said).startsWith("ok " + size + " leaves");
    }

    @Test
    void aGatewayWhoseDatabaseLogWasAlteredRefusesToSignAHeadOverIt() throws Exception {
        authority.submit(DirectiveJson.restrict("A-1").domain("casino.kz", true).domain("bet.kz", false));
        assertThat(treeHead("/api/v1/log/sth").treeSize()).isEqualTo(2);
        authority.submit(DirectiveJson.restrict("A-2").domain("poker.kz", false));
        try (Connection connection = authority.gateway.database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            // Someone who can write to the database swaps the new leaf's target for another, with
            // a well-formed hash of the forged leaf: only the root committed with it shows the lie.
            String document;
            try (var row = statement.executeQuery("SELECT document_sha256 FROM blocklist_log_leaf WHERE serial = 3")) {
                row.next();
                document = row.getString(1);
            }
            String forged = HexFormat.of().formatHex(new LogLeaf(3, Operation.ADD, "DOMAIN:other.kz", "A-2", document).hash());
            statement.executeUpdate("UPDATE blocklist_log_leaf SET target_key = 'DOMAIN:other.kz', leaf_hash = '"
                    + forged + "' WHERE serial = 3");
        }

        // The running gateway holds the tree it read as the leaves were committed; one started on
        // the altered database reads the leaves again.
        GatewayConfig config = authority.gateway.config();
        authority.gateway.close();
        try (Gateway restarted = Gateway.start(config)) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + restarted.httpPort() + "/api/v1/log/sth")).header("Authorization", "Bearer " + operator).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(500);
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restarted.httpPort()
                    + "/public/v1/log/consistency?first=2&second=3")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(500);
            assertThat(send(restarted, "GET", "/health/ready").statusCode())
                    .as("nothing is published over an altered log: not ready").isEqualTo(503);
        }
    }

    @Test
    void aQueryOutsideTheLogOrNotANumberIsA400ProblemNamingTheRange() throws Exception {
        authority.submit(DirectiveJson.restrict("Q-1").domain("casino.kz", true).domain("bet.kz", false));
        for (String path : List.of("/public/v1/log/consistency?first=1&second=3",
                "/public/v1/log/consistency?first=2&second=1", "/public/v1/log/consistency?first=-1&second=2",
                "/public/v1/log/consistency?first=x&second=2", "/public/v1/log/consistency?second=2",
                "/public/v1/log/inclusion?serial=0&size=2", "/public/v1/log/inclusion?serial=3&size=2",
                "/public/v1/log/inclusion?serial=1&size=9223372036854775807",
                "/api/v1/log/leaves?from=1&to=1001", "/api/v1/log/leaves?from=2&to=1", "/api/v1/log/leaves?from=0&to=1")) {
            HttpResponse<String> answer = get(path);
            assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
            assertThat(new JsonObject(answer.body()).getString("detail")).as(path).containsAnyOf("out of range", "whole number");
        }
        assertThat(json("/public/v1/log/consistency?first=1&second=2").getJsonArray("proof")).hasSize(1);
    }

    /** The head at {@code path}, as an operator checks it: openssl, trusting only the gateway's certificate. */
    private TreeHead treeHead(String path) throws Exception {
        HttpResponse<InputStream> response = http.send(request(path), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkcs7-mime");
        Path signed = dir.resolve("sth.p7m");
        Files.copy(response.body(), signed, StandardCopyOption.REPLACE_EXISTING);
        Process openssl = new ProcessBuilder("openssl", "cms", "-verify", "-inform", "DER", "-in", signed.toString(),
                "-CAfile", dir.resolve("data/pki/gateway.pem").toString(), "-purpose", "any",
                "-out", dir.resolve("sth.json").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(openssl.waitFor()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
        return TreeHead.parse(Files.readAllBytes(dir.resolve("sth.json")));
    }

    private JsonObject json(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + authority.gateway.httpPort() + path))
                .header("Authorization", "Bearer " + operator).build();
    }

    private static Path script() throws Exception {
        return Path.of(Objects.requireNonNull(LogApiTest.class.getResource("rfc9162_check.py")).toURI());
    }
}
