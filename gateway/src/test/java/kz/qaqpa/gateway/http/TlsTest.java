package kz.qaqpa.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.HttpSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS with mutual TLS required for the authority and for operators: certificates
 * made by openssl, requests made by curl. Public pages need no client certificate.
 */
class TlsTest {

    @TempDir
    static Path dir;
    private static SigningGateway gateway;
    private static OpenSslPki serverCa;
    private static Signer authority;
    private static Signer kcell;
    private static Signer beeline;
    private static Signer stranger;
    private static String kcellToken;
    private static OpenSslPki authorityCa;

    @BeforeAll
    static void start() throws Exception {
        serverCa = OpenSslPki.create(dir.resolve("server-ca"), "Qaqpa API CA");
        Signer server = serverCa.issueTlsServer("api");
        authorityCa = OpenSslPki.create(dir.resolve("authority-ca"), "Authority clients CA");
        authority = authorityCa.issueTlsClient("ministry");
        OpenSslPki operatorCa = OpenSslPki.create(dir.resolve("operator-ca"), "Operator clients CA");
        kcell = operatorCa.issueTlsClient("kcell");
        beeline = operatorCa.issueTlsClient("beeline");
        stranger = OpenSslPki.create(dir.resolve("stranger-ca"), "Stranger CA").issueTlsClient("kcell");
        gateway = new SigningGateway(dir, new HttpSecurity(HttpSecurity.DEFAULT_REQUEST_HEAD_TIMEOUT, Optional.of(
                new HttpSecurity.Tls(server.certificate(), server.key(), Optional.of(authorityCa.caCertificate()),
                        Optional.of(operatorCa.caCertificate())))));
        Curl registered = curl(authority, "POST", "/api/v1/operators", new JsonObject().put("id", "kcell").put("name", "Kcell")
                .put("bin", "990740000029").put("role", "OPERATOR").put("channel", "WEBHOOK")
                .put("settings", new JsonObject().put("url", "https://hooks.kcell.kz/qaqpa")).encode(), SigningGateway.ADMIN);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        kcellToken = new JsonObject(registered.body()).getString("token");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void publicPagesAndHealthAreServedOverHttpsWithoutAClientCertificate() throws Exception {
        assertThat(curl(null, "GET", "/health/ready", null, null).status()).isEqualTo(200);
        assertThat(curl(null, "GET", "/public/v1/lookup?q=casino.kz", null, null).status()).isEqualTo(200);
    }

    @Test
    void plainHttpOnTheHttpsPortGetsNoAnswer() throws Exception {
        Curl plain = run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                "http://127.0.0.1:" + gateway.gateway.httpPort() + "/health/live"));
        assertThat(plain.body()).isIn("000", "400");
    }

    @Test
    void theAuthorityNeedsItsOwnCertificateBesideTheAdminToken() throws Exception {
        assertProblem(curl(null, "GET", "/api/v1/operators", null, SigningGateway.ADMIN), 401, "client-certificate-required");
        assertProblem(curl(kcell, "GET", "/api/v1/operators", null, SigningGateway.ADMIN), 403, "forbidden");
        assertThat(curl(authority, "GET", "/api/v1/operators", null, SigningGateway.ADMIN).status()).isEqualTo(200);
    }

    @Test
    void aSignedDirectiveIsTakenOnlyOverTheAuthoritysConnection() throws Exception {
        byte[] signed = gateway.pki.signAttached(gateway.signer,
                DirectiveJson.restrict("TLS-1").domain("tls-casino.kz", true).bytes(), Encoding.DER);
        Path file = Files.write(dir.resolve("tls-1.p7m"), signed);
        assertProblem(submit(null, file), 401, "client-certificate-required");
        assertProblem(submit(beeline, file), 403, "forbidden");
        assertThat(submit(authority, file).status()).isEqualTo(201);
    }

    @Test
    void anOperatorNeedsItsOwnCertificateWithItsToken() throws Exception {
        assertProblem(curl(null, "GET", "/api/v1/blocklist", null, kcellToken), 401, "client-certificate-required");
        assertProblem(curl(beeline, "GET", "/api/v1/blocklist", null, kcellToken), 403, "forbidden");
        assertThat(curl(kcell, "GET", "/api/v1/blocklist", null, kcellToken).status()).isEqualTo(200);
    }

    @Test
    void anOfficialsCertificateIsTheOfficialWithItsRolesOnly() throws Exception {
        Curl added = curl(authority, "POST", "/api/v1/officials", new JsonObject().put("name", "aigerim")
                .put("displayName", "Айгерім").put("roles", new io.vertx.core.json.JsonArray().add("AUDITOR"))
                .put("password", "a long pass phrase").encode(), SigningGateway.ADMIN);
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        Signer aigerim = authorityCa.issueTlsClient("aigerim");
        Signer nobody = authorityCa.issueTlsClient("nobody");

        // No token: the certificate names the auditor, who reads and changes nothing.
        assertThat(curl(aigerim, "GET", "/api/v1/audit/records?event=OFFICIAL_ADDED", null, null).body()).contains("aigerim");
        assertProblem(curl(aigerim, "POST", "/api/v1/calendar/reload", null, null), 403, "forbidden");
        assertProblem(curl(nobody, "GET", "/api/v1/audit/records", null, null), 401, "unauthorized");
        assertProblem(curl(kcell, "GET", "/api/v1/audit/records", null, null), 401, "unauthorized");

        // The console: signed in by the certificate, the cookie Secure and __Host- over HTTPS.
        List<String> command = base(aigerim);
        command.addAll(List.of("-i", url("/console/signin/certificate")));
        String answer = run(command).body();
        assertThat(answer).startsWith("HTTP/1.1 303").containsIgnoringCase("set-cookie: __Host-qaqpa-console=")
                .containsIgnoringCase("; Secure").containsIgnoringCase("HTTPOnly");
        List<String> byNobody = base(nobody);
        byNobody.addAll(List.of("-i", url("/console/signin/certificate")));
        assertThat(run(byNobody).body()).startsWith("HTTP/1.1 401");

        // Disabled: the certificate opens nothing any more.
        assertThat(curl(authority, "PATCH", "/api/v1/officials/aigerim", new JsonObject().put("disabled", true).encode(),
                SigningGateway.ADMIN).status()).isEqualTo(200);
        assertProblem(curl(aigerim, "GET", "/api/v1/audit/records", null, null), 401, "unauthorized");
    }

    @Test
    void aCertificateFromAnUnknownCaDoesNotGetThroughTheHandshake() throws Exception {
        Curl refused = curl(stranger, "GET", "/api/v1/blocklist", null, kcellToken);
        assertThat(refused.status()).as("no HTTP answer: %s", refused.body()).isZero();
    }

    private static void assertProblem(Curl answer, int status, String type) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(new JsonObject(answer.body()).getString("type")).isEqualTo("urn:qaqpa:problem:" + type);
    }

    private record Curl(int status, String body) {
    }

    private static Curl submit(Signer client, Path signed) throws Exception {
        List<String> command = base(client);
        command.addAll(List.of("-X", "POST", "-H", "Content-Type: application/pkcs7-mime", "--data-binary", "@" + signed,
                url("/api/v1/directives")));
        return split(run(command));
    }

    private static Curl curl(Signer client, String method, String path, String json, String token) throws Exception {
        List<String> command = base(client);
        command.addAll(List.of("-X", method));
        if (token != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        if (json != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", json));
        }
        command.add(url(path));
        return split(run(command));
    }

    private static List<String> base(Signer client) {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "--max-time", "10", "--cacert",
                serverCa.caCertificate().toString(), "-w", "\n%{http_code}"));
        if (client != null) {
            command.addAll(List.of("--cert", client.certificate().toString(), "--key", client.key().toString()));
        }
        return command;
    }

    private static String url(String path) {
        return "https://127.0.0.1:" + gateway.gateway.httpPort() + path;
    }

    /** The answer's body and, on its last line, the status curl printed (000: no HTTP answer). */
    private static Curl split(Curl raw) {
        String output = raw.body();
        int last = output.lastIndexOf('\n');
        return new Curl(Integer.parseInt(output.substring(last + 1).strip()), last < 0 ? "" : output.substring(0, last));
    }

    private static Curl run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("curl did not finish: " + command);
        }
        return new Curl(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
