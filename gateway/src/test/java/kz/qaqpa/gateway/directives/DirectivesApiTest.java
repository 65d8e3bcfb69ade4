package kz.qaqpa.gateway.directives;

import static kz.qaqpa.gateway.TestGateways.send;
import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.dns.FakeUpstream;
import kz.qaqpa.blocklist.dns.WireClient;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.audit.AuditVerification;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.signature.DirectiveKind;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.directives.store.TableSnapshot;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.config.FilterNodeSettings;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.TestGateways;
import kz.qaqpa.gateway.config.IntakeLimits;
import kz.qaqpa.gateway.config.TrustFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The authorised body's directive API, spoken to over HTTP with signatures made by openssl. */
class DirectivesApiTest {

    private static final String TOKEN = "test-admin-token-0123456789abcdef";
    private static final String CMS = "application/pkcs7-mime";

    @TempDir
    static Path dir;

    private static OpenSslPki pki;
    private static Signer signer;
    private static Signer unlisted;
    private static Signer expired;
    private static Signer notYetValid;
    private static Signer revoked;
    private static Signer foreign;
    /** The authority for information security: may order domain suspensions only (seed 000 §2(1)). */
    private static Signer security;
    private static Gateway gateway;
    private static FakeUpstream upstream;

    @BeforeAll
    static void start() throws Exception {
        pki = OpenSslPki.create(dir.resolve("pki"), "Gateway Test CA");
        signer = pki.issue("signer", KeyType.EC_P256);
        unlisted = pki.issue("unlisted", KeyType.EC_P256);
        security = pki.issue("security", KeyType.EC_P256);
        Instant now = Instant.now();
        expired = pki.issue("expired", KeyType.EC_P256, now.minus(400, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS),
                "critical,digitalSignature");
        notYetValid = pki.issue("future", KeyType.EC_P256, now.plus(30, ChronoUnit.DAYS), now.plus(400, ChronoUnit.DAYS),
                "critical,digitalSignature");
        revoked = pki.issue("revoked", KeyType.EC_P256);
        Path crl = pki.crlRevoking(revoked);
        OpenSslPki foreignPki = OpenSslPki.create(dir.resolve("foreign"), "Someone Else CA");
        foreign = foreignPki.issue("foreign", KeyType.EC_P256);

        Path dataDir = dir.resolve("data");
        upstream = new FakeUpstream();
        gateway = Gateway.start(GatewayConfig.onLoopback(dataDir, DatabaseSettings.embedded(dataDir),
                        new ClusterSettings("test-directives", "127.0.0.1", 0, List.of()))
                .withAdminToken(Optional.of(TOKEN))
                .withShutdownGrace(Duration.ofSeconds(2))
                .withTrust(new TrustFiles(List.of(pki.caCertificate()),
                        Stream.of(signer, expired, notYetValid, revoked, foreign).map(Signer::certificate).toList(), List.of(crl))
                        .withScopedSigners(Map.of(security.certificate(), Set.of(DirectiveKind.DOMAIN_SUSPENSION))))
                .withIntake(new IntakeLimits(64 * 1024, 5))
                .withFilterNode(new FilterNodeSettings(true, "127.0.0.1", 0, upstream.address(), Duration.ofSeconds(1)))
                .withRateLimits(TestGateways.GENEROUS));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void acceptedDirectiveIsEnforcedByTheFilteringNodeAndItsRestoreLiftsIt() throws Exception {
        InetSocketAddress dns = gateway.filterNode().orElseThrow().dnsAddress();
        assertThat(resolve(dns, "www.enforced.kz").rcode()).as("allowed before").isZero();

        JsonObject restrict = new JsonObject(post(pki(signer, DirectiveJson.restrict("DNS-1").domain("enforced.kz", true))).body());
        long serial = restrict.getLong("blocklistSerial");

        await().atMost(Duration.ofSeconds(10)).until(() -> resolve(dns, "www.enforced.kz").rcode() == 3);
        WireClient.Reply blocked = resolve(dns, "www.enforced.kz");
        assertThat(blocked.edeCode()).contains(16);
        assertThat(blocked.edeText()).hasValueSatisfying(text -> assertThat(text).contains("DNS-1"));
        JsonObject read = new JsonObject(get("/api/v1/directives/" + restrict.getLong("id")).body());
        assertThat(read.getJsonObject("enforcement").getInteger("applied")).isEqualTo(1);
        JsonObject nodes = new JsonObject(get("/api/v1/nodes").body());
        assertThat(nodes.getJsonArray("nodes").getJsonObject(0).getLong("appliedSerial")).isGreaterThanOrEqualTo(serial);

        post(pki(signer, DirectiveJson.restore("DNS-2", "DNS-1")));

        await().atMost(Duration.ofSeconds(10)).until(() -> resolve(dns, "www.enforced.kz").rcode() == 0);
        assertThat(resolve(dns, "www.enforced.kz").answers()).isEqualTo(1);
    }

    @Test
    void nameNamedByTwoDirectivesStaysBlockedWhenOneIsRestoredAndCitesTheOther() throws Exception {
        InetSocketAddress dns = gateway.filterNode().orElseThrow().dnsAddress();
        post(pki(signer, DirectiveJson.restrict("TWO-1").domain("twice.kz", false)));
        post(pki(signer, DirectiveJson.restrict("TWO-2").domain("twice.kz", false)));
        await().atMost(Duration.ofSeconds(10)).until(() -> resolve(dns, "twice.kz").rcode() == 3);
        assertThat(resolve(dns, "twice.kz").edeText()).hasValueSatisfying(text -> assertThat(text).contains("TWO-1"));

        long serial = new JsonObject(post(pki(signer, DirectiveJson.restore("TWO-3", "TWO-1"))).body())
                .getLong("blocklistSerial");

        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.filterNode().orElseThrow().replica().appliedSerial() >= serial);
        WireClient.Reply reply = resolve(dns, "twice.kz");
        assertThat(reply.rcode()).as("still restricted by TWO-2").isEqualTo(3);
        assertThat(reply.edeText()).hasValueSatisfying(text -> assertThat(text).contains("TWO-2").doesNotContain("TWO-1"));
    }

    private static WireClient.Reply resolve(InetSocketAddress dns, String name) throws Exception {
        return WireClient.send(dns, WireClient.query(7, name, true), 3_000)
                .orElseThrow(() -> new AssertionError("no DNS answer for " + name));
    }

    @Test
    void signedDirectiveIsAcceptedListedAndReadable() throws Exception {
        DirectiveJson json = DirectiveJson.restrict("API-1").domain("сайт.қаз", true).target("IP", "203.0.113.9");

        HttpResponse<String> created = post(pki.signAttached(signer, json.bytes(), Encoding.DER));

        assertThat(created.statusCode()).isEqualTo(201);
        JsonObject body = new JsonObject(created.body());
        assertThat(body.getString("number")).isEqualTo("API-1");
        assertThat(body.getString("status")).isEqualTo("ACTIVE");
        assertThat(body.getLong("blocklistSerial")).isPositive();
        assertThat(keys(body.getJsonObject("effect"), "newlyRestricted"))
                .containsExactly("DOMAIN:*.xn--80aswg.xn--80ao21a", "IP:203.0.113.9");
        long id = body.getLong("id");
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/directives/" + id);

        JsonObject read = new JsonObject(get("/api/v1/directives/" + id).body());
        assertThat(read.getJsonArray("targets").getJsonObject(0).getString("original")).isEqualTo("сайт.қаз");
        assertThat(read.getJsonObject("signer").getString("subject")).contains("CN=signer");

        JsonObject found = new JsonObject(get("/api/v1/directives?target=%D0%A1%D0%90%D0%99%D0%A2.%D2%9A%D0%90%D0%97").body());
        assertThat(found.getJsonArray("items").getJsonObject(0).getLong("id")).isEqualTo(id);

        AuditVerification audit = AuditLog.verify(gateway.database().dataSource());
        assertThat(audit.intact()).as(audit.reason()).isTrue();
        assertThat(audited(id)).as("an audit record names directive " + id).isTrue();
    }

    /**
     * A name the registry holds for the state is refused with the target and its rule named, and
     * nothing stored; the same directive acknowledging it is accepted, and its view says which
     * target was acknowledged under which rule.
     */
    @Test
    void aReservedNameIsRestrictedOnlyWhenTheSignedDocumentAcknowledgesIt() throws Exception {
        DirectiveJson bare = DirectiveJson.restrict("API-COLLATERAL").domain("site.kz", false).domain("мем.қаз", true);
        HttpResponse<String> refused = post(pki(signer, bare));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonObject problem = new JsonObject(refused.body());
        assertThat(problem.getString("type")).isEqualTo("urn:qaqpa:problem:collateral-damage");
        JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("pointer")).isEqualTo("/targets/1");
        assertThat(error.getString("detail")).startsWith("reserved-name: xn--e1anb.xn--80ao21a");
        assertThat(new JsonObject(get("/api/v1/directives?number=API-COLLATERAL").body()).getJsonArray("items"))
                .as("nothing stored").isEmpty();

        HttpResponse<String> created = post(pki(signer, DirectiveJson.restrict("API-COLLATERAL")
                .domain("site.kz", false).domain("мем.қаз", true).acknowledge("МЕМ.ҚАЗ")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject read = new JsonObject(get("/api/v1/directives/" + new JsonObject(created.body()).getLong("id")).body());
        assertThat(read.getJsonArray("targets").getJsonObject(0).containsKey("acknowledgedCollateral")).isFalse();
        assertThat(read.getJsonArray("targets").getJsonObject(1).getString("acknowledgedCollateral")).isEqualTo("reserved-name");
    }

    /** A court-ordered restriction shows its decision, and a RESTORE without one is refused with a problem that says why. */
    @Test
    void aCourtOrderedRestrictionShowsItsDecisionAndIsNotLiftedWithoutOne() throws Exception {
        DirectiveJson ordered = DirectiveJson.restrict("API-COURT").domain("ordered.kz", false);
        ordered.tree().putObject("courtDecision").put("court", "Астана қаласының соты").put("number", "2-77/2026")
                .put("date", "2026-11-02");
        long id = new JsonObject(post(pki(signer, ordered)).body()).getLong("id");
        JsonObject court = new JsonObject(get("/api/v1/directives/" + id).body()).getJsonObject("courtDecision");
        assertThat(court.getString("number")).isEqualTo("2-77/2026");
        assertThat(court.getString("date")).isEqualTo("2026-11-02");

        HttpResponse<String> refused = post(pki(signer, DirectiveJson.restore("API-COURT-R", "API-COURT")));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(refused.body()).getString("type")).isEqualTo("urn:qaqpa:problem:court-decision-required");
        assertThat(new JsonObject(refused.body()).getString("detail")).contains("2-77/2026");
    }

    private static boolean audited(long directiveId) throws Exception {
        try (var connection = gateway.database().dataSource().getConnection();
             var statement = connection.prepareStatement(
                     "SELECT signer_subject FROM audit_record WHERE directive_id = ? AND event = 'DIRECTIVE_ACCEPTED'")) {
            statement.setLong(1, directiveId);
            try (var rows = statement.executeQuery()) {
                return rows.next() && rows.getString(1).contains("CN=signer");
            }
        }
    }

    @Test
    void sameSignedBytesAgainAnswer200WithTheSameResource() throws Exception {
        byte[] signed = pki.signAttached(signer, DirectiveJson.restrict("API-2").domain("a.kz", false).bytes(), Encoding.PEM);
        JsonObject first = new JsonObject(post(signed).body());
        Map<String, String> before = TableSnapshot.of(gateway.database().dataSource());

        HttpResponse<String> again = post(signed);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(again.body()).getLong("id")).isEqualTo(first.getLong("id"));
        assertThat(TableSnapshot.of(gateway.database().dataSource())).isEqualTo(before);
    }

    @Test
    void detachedSignatureInAnEnvelopeIsAccepted() throws Exception {
        byte[] document = DirectiveJson.restrict("API-3").domain("b.kz", false).bytes();
        JsonObject envelope = new JsonObject()
                .put("document", Base64.getEncoder().encodeToString(document))
                .put("signature", Base64.getEncoder().encodeToString(pki.signDetached(signer, document, Encoding.DER)));

        HttpResponse<String> response = send(gateway, "POST", "/api/v1/directives",
                envelope.encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void restoreAnswersWhatItLiftedAndWhatStaysRestricted() throws Exception {
        post(pki.signAttached(signer, DirectiveJson.restrict("API-4").domain("x.kz", false).domain("y.kz", false).bytes(), Encoding.DER));
        post(pki.signAttached(signer, DirectiveJson.restrict("API-5").domain("y.kz", false).bytes(), Encoding.DER));

        HttpResponse<String> restored = post(pki.signAttached(signer, DirectiveJson.restore("API-6", "API-4").bytes(), Encoding.DER));

        assertThat(restored.statusCode()).isEqualTo(201);
        JsonObject effect = new JsonObject(restored.body()).getJsonObject("effect");
        assertThat(keys(effect, "lifted")).containsExactly("DOMAIN:x.kz");
        assertThat(keys(effect, "stillRestricted")).containsExactly("DOMAIN:y.kz");
    }

    @Test
    void readingDirectivesNeedsTheAdminToken() throws Exception {
        HttpResponse<String> anonymous = send(gateway, "GET", "/api/v1/directives");
        HttpResponse<String> wrong = send(gateway, "GET", "/api/v1/directives", new byte[0], "Authorization", "Bearer nope");

        assertProblem(anonymous, 401, "urn:qaqpa:problem:unauthorized");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertProblem(wrong, 401, "urn:qaqpa:problem:unauthorized");
    }

    @Test
    void unknownDirectiveIsNotFound() throws Exception {
        assertProblem(get("/api/v1/directives/999999"), 404, "urn:qaqpa:problem:not-found");
        assertProblem(get("/api/v1/directives/abc"), 404, "urn:qaqpa:problem:not-found");
        assertProblem(get("/api/v1/directives?status=GONE"), 400, "urn:qaqpa:problem:bad-request");
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                rejection("tampered content", 422, "signature-invalid", () -> {
                    byte[] signed = pki.signAttached(signer, DirectiveJson.restrict("R-1").domain("tamper.kz", false).bytes(), Encoding.DER);
                    int at = new String(signed, StandardCharsets.ISO_8859_1).indexOf("tamper.kz");
                    signed[at] = 'd';
                    return signed;
                }),
                rejection("unknown CA", 403, "signer-untrusted", () -> pki(foreign, DirectiveJson.restrict("R-2").domain("c.kz", false))),
                rejection("expired certificate", 403, "certificate-expired", () -> pki(expired, DirectiveJson.restrict("R-3").domain("c.kz", false))),
                rejection("not yet valid certificate", 403, "certificate-not-yet-valid",
                        () -> pki(notYetValid, DirectiveJson.restrict("R-3b").domain("c.kz", false))),
                rejection("signer not authorised", 403, "signer-not-authorised", () -> pki(unlisted, DirectiveJson.restrict("R-4").domain("c.kz", false))),
                rejection("content signer ordering a suspension", 403, "signer-out-of-scope",
                        () -> pki(signer, DirectiveJson.restrict("R-4s").domain("c.kz", false).suspension("MALWARE"))),
                rejection("security signer restricting content", 403, "signer-out-of-scope",
                        () -> pki(security, DirectiveJson.restrict("R-4c").domain("c.kz", false))),
                rejection("revoked signer", 403, "certificate-revoked", () -> pki(revoked, DirectiveJson.restrict("R-5").domain("c.kz", false))),
                rejection("no signature", 400, "signature-malformed", () -> DirectiveJson.restrict("R-6").domain("c.kz", false).bytes()),
                rejection("empty body", 400, "unsigned", () -> new byte[0]),
                rejection("malformed JSON", 400, "document-malformed", () -> pki.signAttached(signer,
                        "{\"schema\":".getBytes(StandardCharsets.UTF_8), Encoding.DER)),
                rejection("unknown field", 422, "document-invalid", () -> pki(signer, DirectiveJson.restrict("R-7").domain("c.kz", false).set("urgent", "yes"))),
                rejection("bad target", 422, "target-invalid", () -> pki(signer, DirectiveJson.restrict("R-8").target("CIDR", "10.0.0.1/8"))),
                rejection("too many targets", 422, "too-many-targets", () -> {
                    DirectiveJson json = DirectiveJson.restrict("R-9");
                    for (int i = 0; i < 6; i++) {
                        json.domain("many" + i + ".kz", false);
                    }
                    return pki(signer, json);
                }),
                rejection("body too large", 413, "payload-too-large", () -> new byte[64 * 1024 + 1]),
                rejection("deeply nested JSON", 400, "document-malformed", () -> pki.signAttached(signer,
                        ("{\"schema\":\"qaqpa.directive/v1\",\"reason\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}")
                                .getBytes(StandardCharsets.UTF_8), Encoding.DER)),
                rejection("invalid UTF-8", 400, "document-malformed", () -> {
                    byte[] document = DirectiveJson.restrict("R-13").domain("c.kz", false).bytes();
                    int at = new String(document, StandardCharsets.ISO_8859_1).indexOf("R-13");
                    document[at] = (byte) 0xff;
                    return pki.signAttached(signer, document, Encoding.DER);
                }),
                rejection("name with too many labels", 422, "target-invalid",
                        () -> pki(signer, DirectiveJson.restrict("R-14").domain("a.".repeat(200) + "kz", false))),
                rejection("not CMS at all", 400, "signature-malformed", () -> new byte[] {0x30, (byte) 0x84, 0x7f, 0x7f, 0x7f, 0x7f}),
                rejection("number reused", 409, "number-reused", () -> pki(signer, DirectiveJson.restrict("API-REUSED").domain("other.kz", false))),
                rejection("restore of unknown", 422, "cancelled-directive-unknown", () -> pki(signer, DirectiveJson.restore("R-10", "NOPE"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectedDirectiveIsAProblemAndChangesNothing(String name, int status, String type, Callable<byte[]> body) throws Exception {
        post(pki.signAttached(signer, DirectiveJson.restrict("API-REUSED").domain("reused.kz", false).bytes(), Encoding.DER));
        byte[] request = body.call();
        Map<String, String> before = TableSnapshot.of(gateway.database().dataSource());

        HttpResponse<String> response = post(request);

        assertProblem(response, status, "urn:qaqpa:problem:" + type);
        assertThat(TableSnapshot.of(gateway.database().dataSource())).as("no row changed").isEqualTo(before);
    }

    @Test
    void unsupportedMediaTypeIsRefused() throws Exception {
        HttpResponse<String> response = send(gateway, "POST", "/api/v1/directives",
                DirectiveJson.restrict("R-11").domain("c.kz", false).bytes(), "Content-Type", "text/plain");

        assertProblem(response, 415, "urn:qaqpa:problem:unsupported-media-type");
    }

    @Test
    void invalidDocumentProblemNamesEachField() throws Exception {
        HttpResponse<String> response = post(pki(signer, DirectiveJson.restrict("R-12").domain("c.kz", false)
                .remove("legalBasis").set("extra", "x")));

        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")).toList())
                .containsExactlyInAnyOrder("/legalBasis", "/extra");
    }

    private static List<String> keys(JsonObject effect, String part) {
        return effect.getJsonObject(part).getJsonArray("keys").stream().map(String.class::cast).toList();
    }

    private static Arguments rejection(String name, int status, String type, Callable<byte[]> body) {
        return Arguments.of(name, status, type, body);
    }

    private static byte[] pki(Signer by, DirectiveJson json) throws Exception {
        return pki.signAttached(by, json.bytes(), Encoding.DER);
    }

    private static HttpResponse<String> post(byte[] body) throws Exception {
        return send(gateway, "POST", "/api/v1/directives", body, "Content-Type", CMS);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(gateway, "GET", path, new byte[0], "Authorization", "Bearer " + TOKEN);
    }
}
