package kz.qaqpa.gateway.console;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import kz.qaqpa.directives.access.OfficialRole;
import kz.qaqpa.directives.access.Officials;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console against someone who is not the official: a cross-site form, a form without the
 * session's CSRF token, a guessed password until the account locks, a made-up cookie, hostile text
 * in what the pages show — and the access log that records it all, as the auditor reads and exports it.
 */
class ConsoleTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";

    @TempDir
    static Path dir;
    private static SigningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = new SigningGateway(dir, DeliverySettings.defaults());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void anAdministratorAddsAnOfficialOnlyFromItsOwnSessionsPage() throws Exception {
        SigningGateway.Enrolled admin = gateway.official("admin-one", OfficialRole.ADMINISTRATOR);
        HttpResponse<String> signIn = signIn(admin.name(), admin.password(), code(admin));
        assertThat(signIn.statusCode()).isEqualTo(303);
        String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict", "Path=/console");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> page = get("/console/officials", cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'",
                "frame-ancestors 'none'").doesNotContain("script-src");
        String csrf = csrf(page.body());
        String form = "name=dana&displayName=" + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8)
                + "&password=a+long+pass+phrase&role=REVIEWER&role=AUDITOR";

        // Without the session's token; with another one; from another site: refused, nothing added.
        assertThat(post("/console/officials", form, cookie).statusCode()).isEqualTo(403);
        assertThat(post("/console/officials", form + "&csrf=" + "x".repeat(43), cookie).statusCode()).isEqualTo(403);
        assertThat(send(gateway.gateway, "POST", "/console/officials", (form + "&csrf=" + csrf).getBytes(StandardCharsets.UTF_8),
                "Content-Type", FORM, "Cookie", cookie, "Origin", "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(names()).doesNotContain("dana");

        HttpResponse<String> added = post("/console/officials", form + "&csrf=" + csrf, cookie);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(added.body()).contains("id=\"totpSecret\"").doesNotContain(HOSTILE)
                .contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(names()).contains("dana");

        // The row form: dana an auditor only, and disabled; the administrator itself cannot be.
        String changed = post("/console/officials/dana", "role=AUDITOR&disabled=on&csrf=" + csrf, cookie).body();
        assertThat(changed).contains("id=\"done\"");
        JsonObject dana = officials().stream().map(JsonObject.class::cast).filter(o -> o.getString("name").equals("dana"))
                .findFirst().orElseThrow();
        assertThat(dana.getBoolean("disabled")).isTrue();
        assertThat(dana.getJsonArray("roles")).containsExactly("AUDITOR");
        assertThat(new JsonObject(gateway.as(SigningGateway.ADMIN, "GET", "/api/v1/audit/records?event=OFFICIAL_ADDED&by=admin-one",
                null).body()).getJsonArray("records")).singleElement().satisfies(record ->
                assertThat(((JsonObject) record).getString("details")).contains("official dana", "REVIEWER", "AUDITOR",
                        "[from 127.0.0.1]"));
    }

    @Test
    void guessingLocksTheAccountAndTheAuditorSeesEveryAttempt() throws Exception {
        SigningGateway.Enrolled target = gateway.official("target", OfficialRole.REVIEWER);
        for (int i = 0; i < Officials.MAX_FAILURES; i++) {
            HttpResponse<String> refused = signIn("target", "guess " + i + " of the password", "123456");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        }
        HttpResponse<String> locked = signIn(target.name(), target.password(), code(target));
        assertThat(locked.statusCode()).as("locked: the right password and code are refused too").isEqualTo(401);
        HttpResponse<String> unknown = signIn(HOSTILE, "whatever it is", "123456");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).as("the same words as for a wrong password").contains(locked.body()
                .replaceFirst("(?s).*(<p class=\"error\" id=\"error\">[^<]*</p>).*", "$1"));

        SigningGateway.Enrolled auditor = gateway.official("auditor-one", OfficialRole.AUDITOR);
        String cookie = cookie(signIn(auditor.name(), auditor.password(), code(auditor)));
        HttpResponse<String> log = get("/console/audit?event=SIGN_IN_FAILED", cookie);
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.body()).doesNotContain(HOSTILE).contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("wrong password [from 127.0.0.1]", "account locked until", "locked for 15 minutes after 5 failures");
        HttpResponse<String> csv = get("/console/audit/export?format=csv&by=target", cookie);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("seq,recordedAt,event,by,directiveId,details");
        assertThat(lines.subList(1, lines.size())).hasSize(Officials.MAX_FAILURES + 1)
                .allSatisfy(line -> assertThat(line).contains(",SIGN_IN_FAILED,target,"));
        // Someone who is not the auditor reads none of it.
        assertThat(get("/console/audit", signInFresh(OfficialRole.REVIEWER)).statusCode()).isEqualTo(403);
    }

    @Test
    void aCookieTheGatewayDidNotGiveOpensNothingAndSignOutEndsTheSession() throws Exception {
        assertThat(get("/console", "qaqpa-console=" + "A".repeat(43)).statusCode()).isEqualTo(303);
        SigningGateway.Enrolled issuer = gateway.official("issuer-one", OfficialRole.ISSUER);
        String cookie = cookie(signIn(issuer.name(), issuer.password(), code(issuer)));
        HttpResponse<String> today = get("/console", cookie);
        assertThat(today.statusCode()).isEqualTo(200);
        assertThat(today.body()).contains("Official issuer-one (issuer-one)");
        // The session's cookie is no API credential.
        assertThat(send(gateway.gateway, "GET", "/api/v1/directives", new byte[0], "Cookie", cookie).statusCode()).isEqualTo(401);

        // Its own account: a token of its own (which then calls the API as the issuer), and a new
        // password only with the current one.
        HttpResponse<String> issued = post("/console/account/token", "csrf=" + csrf(today.body()), cookie);
        String token = issued.body().replaceFirst("(?s).*<code id=\"token\">([^<]+)</code>.*", "$1");
        assertThat(token).startsWith("qo_");
        assertThat(gateway.as(token, "GET", "/api/v1/directives", null).statusCode()).isEqualTo(200);
        assertThat(gateway.as(issuer.token(), "GET", "/api/v1/directives", null).statusCode()).as("the old one replaced")
                .isEqualTo(401);
        assertThat(post("/console/account/password", "current=guess+guess+guess&password=a+new+long+password&csrf="
                + csrf(today.body()), cookie).statusCode()).isEqualTo(422);
        assertThat(post("/console/account/password", "current=" + URLEncoder.encode(issuer.password(), StandardCharsets.UTF_8)
                + "&password=a+new+long+password&csrf=" + csrf(today.body()), cookie).statusCode()).isEqualTo(200);
        assertThat(records("by=issuer-one").stream().map(r -> ((JsonObject) r).getString("event")))
                .contains("OFFICIAL_TOKEN_ISSUED", "PASSWORD_CHANGE_REFUSED", "PASSWORD_CHANGED");

        assertThat(post("/console/signout", "csrf=" + csrf(today.body()), cookie).statusCode()).isEqualTo(303);
        HttpResponse<String> after = get("/console", cookie);
        assertThat(after.statusCode()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location")).contains("/console/signin?expired=1");
    }

    @Test
    void whoReadAnAppellantsDataAndWhoDecidedIsInTheAccessLogWithWhereFrom() throws Exception {
        gateway.submit(DirectiveJson.restrict("ACC-1").domain("access.kz", true));
        HttpResponse<String> filed = send(gateway.gateway, "POST", "/api/v1/appeals", new JsonObject().put("kind", "OWNER")
                .put("personalDataAcknowledged", true).put("personName", "Айгүл Серікқызы").put("iin", "850315400124")
                .put("email", "owner@example.kz").put("language", "kk").put("resource", "access.kz")
                .put("directiveNumber", "ACC-1").put("links", new JsonArray().add("https://access.kz/removed"))
                .put("message", "<script>alert(1)</script>\"><img src=x onerror=alert(2)>")
                .encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String number = new JsonObject(filed.body()).getString("number");
        String statusLink = new JsonObject(filed.body()).getString("statusLink");
        // The appellant's evidence, while the appeal is undecided.
        String statusToken = java.net.URLDecoder.decode(statusLink.substring(statusLink.indexOf("token=") + 6),
                StandardCharsets.UTF_8);
        byte[] proof = "%PDF-1.4\n% the removed page\n%%EOF\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> attached = send(gateway.gateway, "POST", "/api/v1/appeals/" + number + "/attachments?name=proof.pdf",
                proof, "Content-Type", "application/pdf", "Authorization", "Bearer " + statusToken);
        assertThat(attached.statusCode()).as(attached.body()).isEqualTo(201);
        SigningGateway.Enrolled reviewer = gateway.official("reviewer-reads", OfficialRole.REVIEWER);
        SigningGateway.Enrolled registrar = gateway.official("registrar-one", OfficialRole.RECIPIENT_REGISTRAR);

        // The appellant reading its own appeal is no access to record; the reviewer's read is.
        assertThat(send(gateway.gateway, "GET", statusLink.replaceFirst("^https?://[^/]+", "").replace("/appeal/status/",
                "/api/v1/appeals/")).statusCode()).isEqualTo(200);
        assertThat(gateway.as(reviewer.token(), "GET", "/api/v1/appeals/" + number, null).body()).contains("850315400124");
        assertThat(gateway.as(reviewer.token(), "POST", "/api/v1/appeals/" + number + "/findings", new JsonObject()
                .put("findings", new JsonArray().add(new JsonObject().put("link", "https://access.kz/removed")
                        .put("removed", true)))).statusCode()).isEqualTo(200);
        assertThat(gateway.as(reviewer.token(), "POST", "/api/v1/appeals/" + number + "/decision", new JsonObject()
                .put("decision", "REFUSED").put("reasons", "still there")).statusCode()).isEqualTo(200);
        assertThat(gateway.as(registrar.token(), "POST", "/api/v1/operators", new JsonObject().put("id", "op-new")
                .put("name", "New operator").put("bin", "990740000029").put("role", "OPERATOR").put("channel", "PULL_ONLY"))
                .statusCode()).isEqualTo(201);

        // What the appellant wrote, shown to a reviewer in the console: escaped, never markup; its
        // evidence file downloaded with the session, as attached.
        String reviewerSession = signInFresh(OfficialRole.REVIEWER);
        String page = get("/console/appeals/" + number, reviewerSession).body();
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>")
                .doesNotContain("<img src=x");
        String href = page.replaceFirst("(?s).*<ul id=\"attachments\"><li><a href=\"([^\"]+)\".*", "$1");
        HttpResponse<byte[]> file = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + gateway.gateway.httpPort() + href)).header("Cookie", reviewerSession)
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(proof);
        assertThat(file.headers().firstValue("Content-Security-Policy")).contains("sandbox");
        assertThat(records("event=APPEAL_EVIDENCE_READ")).singleElement().satisfies(r ->
                assertThat(((JsonObject) r).getString("by")).startsWith("fresh-reviewer"));

        JsonArray reviewers = records("by=reviewer-reads");
        assertThat(reviewers.stream().map(r -> ((JsonObject) r).getString("event")))
                .containsExactly("APPEAL_READ", "APPEAL_FINDINGS", "APPEAL_DECIDED");
        assertThat(reviewers.stream().map(r -> ((JsonObject) r).getString("details")))
                .allSatisfy(details -> assertThat(details).contains(number).endsWith("[from 127.0.0.1]"));
        assertThat(records("event=APPEAL_READ").stream().map(r -> ((JsonObject) r).getString("by")))
                .as("the officials' reads, in the API and the console; the appellant's own not")
                .hasSize(2).contains("reviewer-reads").noneMatch(by -> by.startsWith("appellant"));
        assertThat(records("by=registrar-one")).singleElement().satisfies(r -> assertThat(((JsonObject) r)
                .getString("details")).contains("recipient op-new (OPERATOR, PULL_ONLY) registered"));
        assertThat(new JsonObject(gateway.as(SigningGateway.ADMIN, "GET", "/api/v1/audit/verification", null).body())
                .getBoolean("intact")).isTrue();
    }

    @Test
    void theRegistrarOfRecipientsRegistersAndDeactivatesOneInTheConsole() throws Exception {
        String cookie = signInFresh(OfficialRole.RECIPIENT_REGISTRAR);
        HttpResponse<String> page = get("/console/recipients", cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        String csrf = csrf(page.body());
        HttpResponse<String> registered = post("/console/recipients", "id=kcell&name=" + URLEncoder.encode(HOSTILE,
                StandardCharsets.UTF_8) + "&bin=990740000029&role=OPERATOR&channel=PULL_ONLY&settings=&csrf=" + csrf, cookie);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        assertThat(registered.body()).contains("id=\"token\"").doesNotContain(HOSTILE);
        String token = registered.body().replaceFirst("(?s).*<code id=\"token\">([^<]+)</code>.*", "$1");
        assertThat(gateway.as(token, "GET", "/api/v1/blocklist", null).statusCode()).as("the token shown works").isEqualTo(200);

        assertThat(post("/console/recipients/kcell", "active=false&csrf=" + csrf, cookie).statusCode()).isEqualTo(200);
        assertThat(new JsonObject(gateway.as(SigningGateway.ADMIN, "GET", "/api/v1/operators/kcell", null).body())
                .getBoolean("active")).isFalse();
        assertThat(records("event=RECIPIENT_CHANGED").stream().map(r -> ((JsonObject) r).getString("details")))
                .anySatisfy(details -> assertThat(details).contains("recipient kcell: deactivated"));
        // An issuer reads the register but has no forms on it.
        String issuer = signInFresh(OfficialRole.ISSUER);
        assertThat(get("/console/recipients", issuer).body()).contains("kcell").doesNotContain("id=\"registerForm\"");
        assertThat(post("/console/recipients/kcell", "active=true&csrf=" + csrf(get("/console", issuer).body()), issuer)
                .statusCode()).isEqualTo(403);
    }

    private static JsonArray records(String query) throws Exception {
        return new JsonObject(gateway.as(SigningGateway.ADMIN, "GET", "/api/v1/audit/records?" + query, null).body())
                .getJsonArray("records");
    }

    private static final java.util.concurrent.atomic.AtomicInteger FRESH = new java.util.concurrent.atomic.AtomicInteger();

    private static String signInFresh(OfficialRole role) throws Exception {
        SigningGateway.Enrolled official = gateway.official("fresh-" + role.name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-') + "-" + FRESH.incrementAndGet(), role);
        return gateway.signIn(official);
    }

    private static HttpResponse<String> signIn(String name, String password, String code) throws Exception {
        return send(gateway.gateway, "POST", "/console/signin", ("name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&code=" + code)
                .getBytes(StandardCharsets.UTF_8), "Content-Type", FORM);
    }

    private static String code(SigningGateway.Enrolled official) {
        return Officials.currentCode(official.totpSecret(), Instant.now());
    }

    private static String cookie(HttpResponse<String> signedIn) {
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static HttpResponse<String> get(String path, String cookie) throws Exception {
        return send(gateway.gateway, "GET", path, new byte[0], "Cookie", cookie);
    }

    private static HttpResponse<String> post(String path, String form, String cookie) throws Exception {
        return send(gateway.gateway, "POST", path, form.getBytes(StandardCharsets.UTF_8), "Content-Type", FORM, "Cookie", cookie);
    }

    private static String csrf(String page) {
        return page.replaceFirst("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
    }

    private static List<String> names() throws Exception {
        return officials().stream().map(o -> ((JsonObject) o).getString("name")).toList();
    }

    private static JsonArray officials() throws Exception {
        return new JsonObject(gateway.as(SigningGateway.ADMIN, "GET", "/api/v1/officials", null).body())
                .getJsonArray("officials");
    }
}
