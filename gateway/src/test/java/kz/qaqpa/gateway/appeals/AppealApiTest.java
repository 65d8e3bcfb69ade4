package kz.qaqpa.gateway.appeals;

import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.store.TableSnapshot;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restoration appeals and the public look-up over HTTP. */
class AppealApiTest {

    private static final String IIN = "990740000029";

    @TempDir
    static Path dir;

    private static SigningGateway authority;

    @BeforeAll
    static void start() throws Exception {
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        authority.submit(DirectiveJson.restrict("12-3/456").domain("casino.kz", true));
    }

    @AfterAll
    static void stop() {
        authority.close();
    }

    @Test
    void appealIsRegisteredAndItsStatusIsForTheTokenHolderAndTheAuthorityOnly() throws Exception {
        HttpResponse<String> created = post(appeal("www.casino.kz"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject answer = new JsonObject(created.body());
        assertThat(answer.getString("number")).matches("APL-\\d{4}-\\d{6}");
        assertThat(answer.getString("deadline")).endsWith("T23:59:59+05:00");
        String link = answer.getString("statusLink");
        assertThat(created.headers().firstValue("Location")).contains(link);

        JsonObject status = new JsonObject(send(authority.gateway, "GET", link).body());
        assertThat(status.getString("status")).as("monitoring starts with the first probe").isIn("REGISTERED", "MONITORING");
        assertThat(status.getJsonObject("appellant").getString("iin")).isEqualTo(IIN);
        String number = answer.getString("number");
        assertProblem(send(authority.gateway, "GET", "/api/v1/appeals/" + number + "?token=guess"), 404,
                "urn:qaqpa:problem:not-found");
        assertProblem(send(authority.gateway, "GET", "/api/v1/appeals/" + number), 401, "urn:qaqpa:problem:unauthorized");
        assertThat(authority.as(SigningGateway.ADMIN, "GET", "/api/v1/appeals/" + number, null).statusCode()).isEqualTo(200);
        // The status token as a bearer token, kept out of the URL (and so out of logs and referrers).
        String token = java.net.URLDecoder.decode(link.substring(link.indexOf("token=") + 6), StandardCharsets.UTF_8);
        HttpResponse<String> byHeader = authority.as(token, "GET", "/api/v1/appeals/" + number, null);
        assertThat(byHeader.statusCode()).as(byHeader.body()).isEqualTo(200);
        assertThat(new JsonObject(byHeader.body()).getString("number")).isEqualTo(number);
        assertProblem(authority.as("guess", "GET", "/api/v1/appeals/" + number, null), 404, "urn:qaqpa:problem:not-found");
    }

    @Test
    void badAppealsAreProblemsNamingTheFieldAndNothingIsStored() throws Exception {
        Map<String, String> before = TableSnapshot.of(authority.gateway.database().dataSource());

        HttpResponse<String> invalid = post(appeal("casino.kz").put("iin", "990740000028").put("email", "nobody"));
        assertProblem(invalid, 422, "urn:qaqpa:problem:appeal-invalid");
        assertThat(new JsonObject(invalid.body()).getJsonArray("errors").encode()).contains("/iin", "/email");
        // Seed 002 art. 44: no appeal without the appellant's acknowledgement of the personal-data notice.
        JsonObject unacknowledged = appeal("casino.kz");
        unacknowledged.remove("personalDataAcknowledged");
        HttpResponse<String> refused = post(unacknowledged);
        assertProblem(refused, 422, "urn:qaqpa:problem:appeal-invalid");
        assertThat(refused.body()).contains("/personalDataAcknowledged");
        assertProblem(post(appeal("casino.kz").put("personalDataAcknowledged", "yes")), 400, "urn:qaqpa:problem:bad-request");
        assertProblem(post(appeal("casino.kz").put("colour", "red")), 400, "urn:qaqpa:problem:bad-request");
        assertProblem(send(authority.gateway, "POST", "/api/v1/appeals", "kind=OWNER".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded"), 415, "urn:qaqpa:problem:unsupported-media-type");

        assertThat(TableSnapshot.of(authority.gateway.database().dataSource())).isEqualTo(before);
    }

    @Test
    void publicLookUpNamesTheDirectiveAndNeverTheAppellant() throws Exception {
        post(appeal("casino.kz"));

        HttpResponse<String> restricted = send(authority.gateway, "GET", "/public/v1/lookup?q=https://www.casino.kz/page");
        JsonObject answer = new JsonObject(restricted.body());
        assertThat(answer.getBoolean("restricted")).isTrue();
        JsonObject directive = answer.getJsonArray("directives").getJsonObject(0);
        assertThat(directive.getString("number")).isEqualTo("12-3/456");
        assertThat(directive.getJsonObject("authority").getString("bin")).isEqualTo(DirectiveJson.AUTHORITY_BIN);
        assertThat(directive.getString("legalBasis")).isNotBlank();
        assertThat(restricted.body()).doesNotContain("owner@example.kz").doesNotContain("Айгүл");

        assertThat(new JsonObject(send(authority.gateway, "GET", "/public/v1/lookup?q=free.kz").body())
                .getBoolean("restricted")).isFalse();
        // A restriction for three months says until when, to the public and to the authority.
        JsonObject timed = authority.submit(DirectiveJson.restrict("TIMED-1").domain("timed.kz", false).set("restrictFor", "P3M"));
        JsonObject until = new JsonObject(send(authority.gateway, "GET", "/public/v1/lookup?q=timed.kz").body())
                .getJsonArray("directives").getJsonObject(0);
        assertThat(until.getString("restrictedUntil")).isEqualTo("2027-02-20T10:00+05:00");
        assertThat(new JsonObject(admin("GET", "/api/v1/directives/" + timed.getLong("id"), null).body())
                .getString("validUntil")).isEqualTo("2027-02-20T05:00:00Z");
        // An annulled name: the public learns it may not be registered again for a year (seed 002 art. 21).
        authority.submit(DirectiveJson.restrict("BAN-1").domain("annulled.kz", false).set("domainBan", "ANNULLED"));
        JsonObject ban = new JsonObject(send(authority.gateway, "GET", "/public/v1/lookup?q=annulled.kz").body())
                .getJsonArray("directives").getJsonObject(0).getJsonObject("domainBan");
        assertThat(ban).isEqualTo(new JsonObject().put("kind", "ANNULLED").put("until", "2027-11-20T10:00+05:00"));
        assertThat(send(authority.gateway, "GET", "/lookup?lang=ru&q=annulled.kz").body())
                .contains("его регистрация аннулирована; повторная регистрация запрещена до 20.11.2027 10:00 (UTC+5)");
        assertProblem(send(authority.gateway, "GET", "/public/v1/lookup?q=%20"), 400, "urn:qaqpa:problem:bad-request");
    }

    @Test
    void theAuthorityRecordsFindingsDecidesAndSignsTheDraftedOrderAndTheAppealIsRestoredWhenAllResume() throws Exception {
        String operator = authority.register("flow-operator", "OPERATOR", "PULL_ONLY", null);
        String sts = authority.register("flow-sts", "STATE_TECHNICAL_SERVICE", "PULL_ONLY", null);
        authority.submit(DirectiveJson.restrict("FLOW-1").domain("flow.kz", false));
        String number = new JsonObject(post(appeal("flow.kz").put("directiveNumber", "FLOW-1")
                .put("links", new JsonArray().add("https://flow.kz/a").add("https://flow.kz/b"))).body()).getString("number");
        String base = "/api/v1/appeals/" + number;

        assertProblem(send(authority.gateway, "POST", base + "/findings", "{}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json"), 401, "urn:qaqpa:problem:unauthorized");
        assertProblem(admin("POST", base + "/decision", new JsonObject().put("decision", "REMOVAL_CONFIRMED")), 409,
                "urn:qaqpa:problem:appeal-step-refused");
        assertProblem(admin("GET", base + "/order", null), 409, "urn:qaqpa:problem:appeal-step-refused");
        assertProblem(send(authority.gateway, "POST", "/api/v1/directives", authority.pki.signAttached(authority.signer,
                DirectiveJson.restore("EARLY-1", "FLOW-1").set("appeal", number).order("flow.kz").bytes(), OpenSslPki.Encoding.DER),
                "Content-Type", "application/pkcs7-mime"), 422, "urn:qaqpa:problem:appeal-mismatch");

        JsonObject withFindings = new JsonObject(admin("POST", base + "/findings", new JsonObject().put("findings",
                new JsonArray().add(new JsonObject().put("link", "https://flow.kz/a").put("removed", true))
                        .add(new JsonObject().put("link", "https://flow.kz/b").put("removed", true).put("note", "404")))).body());
        assertThat(withFindings.getJsonArray("findings")).hasSize(2);
        assertProblem(admin("POST", base + "/decision", new JsonObject().put("decision", "REMOVAL_CONFIRMED")), 409,
                "urn:qaqpa:problem:appeal-step-refused");
        JsonObject eliminated = new JsonObject(admin("POST", base + "/violations",
                new JsonObject().put("note", "the section was closed")).body());
        assertThat(eliminated.getJsonObject("violationsEliminated").getString("note")).isEqualTo("the section was closed");
        JsonObject decided = new JsonObject(admin("POST", base + "/decision",
                new JsonObject().put("decision", "REMOVAL_CONFIRMED")).body());
        assertThat(decided.getString("status")).isEqualTo("REMOVAL_CONFIRMED");

        JsonObject order = new JsonObject(admin("GET", base + "/order?number=01-05%2F900&signatory="
                + java.net.URLEncoder.encode("А. Сейітов", StandardCharsets.UTF_8), null).body());
        assertThat(order.getString("kk")).contains("Тапсырма", "1) https://flow.kz/a;", "2) https://flow.kz/b сілтемелер бойынша",
                "(тізім бойынша):\n- Operator flow-sts\n- Operator flow-operator\n");
        assertThat(order.getString("ru")).contains("Поручение", "FLOW-1");
        JsonObject carried = order.getJsonObject("restore").getJsonObject("order");
        assertThat(order.getJsonObject("restore").getString("number")).isEqualTo("01-05/900");
        assertThat(carried.getString("signatory")).isEqualTo("А. Сейітов");
        assertThat(carried.getString("kk")).isEqualTo(order.getString("kk"));
        assertThat(carried.getJsonArray("addressees")).containsExactly("Operator flow-sts", "Operator flow-operator");
        JsonObject restore = authority.submit(order.getJsonObject("restore").encode().getBytes(StandardCharsets.UTF_8));
        assertThat(restore.getJsonObject("effect").getJsonObject("lifted").getJsonArray("keys")).containsExactly("DOMAIN:flow.kz");

        JsonObject resumed = new JsonObject().put("directiveId", restore.getLong("id")).put("status", "RESUMED");
        assertThat(authority.as(operator, "POST", "/api/v1/acks", resumed).statusCode()).isEqualTo(201);
        assertThat(status(base)).as("the State Technical Service has not resumed yet").isEqualTo("REMOVAL_CONFIRMED");
        assertThat(authority.as(sts, "POST", "/api/v1/acks", resumed).statusCode()).isEqualTo(201);
        assertThat(status(base)).isEqualTo("RESTORED");
    }

    /** An appeal against a court-ordered restriction is registered, and the authority is told the Rules do not apply. */
    @Test
    void anAppealAgainstACourtOrderedRestrictionIsRegisteredAndTheAuthorityToldTheRulesDoNotApply() throws Exception {
        DirectiveJson ordered = DirectiveJson.restrict("COURT-1").domain("ordered.kz", false);
        ordered.tree().putObject("courtDecision").put("court", "Астана қаласының соты").put("number", "2-77/2026")
                .put("date", "2026-11-02");
        authority.submit(ordered);
        HttpResponse<String> created = post(appeal("ordered.kz").put("directiveNumber", "COURT-1"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject seen = new JsonObject(admin("GET", "/api/v1/appeals/" + new JsonObject(created.body()).getString("number"),
                null).body());
        assertThat(seen.getJsonObject("courtOrdered").getString("number")).isEqualTo("2-77/2026");
        assertThat(seen.getJsonObject("courtOrdered").getString("note")).contains("Rules of restoration do not apply");

        JsonObject plain = new JsonObject(admin("GET", "/api/v1/appeals/" + new JsonObject(post(appeal("casino.kz")).body())
                .getString("number"), null).body());
        assertThat(plain.containsKey("courtOrdered")).isFalse();
    }

    /**
     * A mistyped directive number is registered all the same (seed 003 §3, §5), with its deadline,
     * as NEEDS_MATCHING; the authority links it to the directive, and the appellant sees that.
     */
    @Test
    void aMistypedDirectiveNumberIsRegisteredAndTheAuthorityLinksIt() throws Exception {
        HttpResponse<String> created = post(appeal("casino.kz").put("directiveNumber", "12-3/465"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject answer = new JsonObject(created.body());
        assertThat(answer.getString("status")).isEqualTo("NEEDS_MATCHING");
        assertThat(answer.getString("deadline")).endsWith("T23:59:59+05:00");
        String base = "/api/v1/appeals/" + answer.getString("number");
        JsonObject waiting = new JsonObject(admin("GET", base, null).body());
        assertThat(waiting.getString("citedDirective")).isEqualTo("12-3/465");
        assertThat(waiting.getString("unmatched")).isEqualTo("there is no directive 12-3/465 restricting access");
        assertThat(waiting.getValue("directiveNumber")).isNull();

        assertProblem(send(authority.gateway, "POST", base + "/directive", "{\"directiveNumber\": \"12-3/456\"}"
                .getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json"), 401, "urn:qaqpa:problem:unauthorized");
        assertProblem(admin("POST", base + "/directive", new JsonObject().put("directiveNumber", "NO-SUCH")), 409,
                "urn:qaqpa:problem:appeal-step-refused");
        assertProblem(admin("POST", base + "/directive", new JsonObject()), 400, "urn:qaqpa:problem:bad-request");
        HttpResponse<String> linked = admin("POST", base + "/directive", new JsonObject().put("directiveNumber", "12-3/456"));

        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
        JsonObject view = new JsonObject(linked.body());
        assertThat(view.getString("status")).isEqualTo("REGISTERED");
        assertThat(view.getString("directiveNumber")).isEqualTo("12-3/456");
        assertThat(view.getString("deadline")).isEqualTo(answer.getString("deadline"));
        assertProblem(admin("POST", base + "/directive", new JsonObject().put("directiveNumber", "12-3/456")), 409,
                "urn:qaqpa:problem:appeal-step-refused");
        String token = java.net.URLDecoder.decode(answer.getString("statusLink").replaceFirst(".*token=", ""),
                StandardCharsets.UTF_8);
        assertThat(new JsonObject(authority.as(token, "GET", base, null).body()).getString("directiveNumber"))
                .as("the appellant sees the directive it is matched to").isEqualTo("12-3/456");
    }

    /**
     * Seed 003 §3: evidence beyond links, from the token holder only — a PDF or an image of the type
     * it claims, bounded — listed with its hash, and downloadable by the authority alone, never shown
     * in the gateway's origin.
     */
    @Test
    void theAppellantAttachesEvidenceAndOnlyTheAuthorityDownloadsIt() throws Exception {
        JsonObject created = new JsonObject(post(appeal("casino.kz")).body());
        String base = "/api/v1/appeals/" + created.getString("number");
        String token = java.net.URLDecoder.decode(created.getString("statusLink").replaceFirst(".*token=", ""),
                StandardCharsets.UTF_8);
        byte[] pdf = "%PDF-1.4\n% сенімхат\n%%EOF\n".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> attached = send(authority.gateway, "POST", base + "/attachments?name="
                + java.net.URLEncoder.encode("сенімхат.pdf", StandardCharsets.UTF_8), pdf,
                "Content-Type", "application/pdf", "Authorization", "Bearer " + token);

        assertThat(attached.statusCode()).as(attached.body()).isEqualTo(201);
        assertThat(new JsonObject(attached.body()).getString("sha256")).isEqualTo(kz.qaqpa.blocklist.model.Sha256.hex(pdf));
        JsonObject file = new JsonObject(admin("GET", base, null).body()).getJsonArray("attachments").getJsonObject(0);
        assertThat(file.getString("name")).isEqualTo("сенімхат.pdf");
        HttpResponse<byte[]> download = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + authority.gateway.httpPort() + file.getString("href")))
                .header("Authorization", "Bearer " + SigningGateway.ADMIN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(pdf);
        assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
        assertThat(download.headers().firstValue("Content-Security-Policy")).contains("sandbox");
        assertProblem(authority.as(token, "GET", file.getString("href"), null), 401, "urn:qaqpa:problem:unauthorized");

        assertProblem(upload(base, token, "text/html", "<script>".getBytes(StandardCharsets.UTF_8)), 415,
                "urn:qaqpa:problem:unsupported-media-type");
        assertProblem(upload(base, token, "application/pdf", "<script>".getBytes(StandardCharsets.UTF_8)), 422,
                "urn:qaqpa:problem:appeal-invalid");
        assertProblem(upload(base, "guess", "application/pdf", pdf), 404, "urn:qaqpa:problem:not-found");
        assertProblem(upload(base, SigningGateway.ADMIN, "application/pdf", pdf), 403, "urn:qaqpa:problem:forbidden");
        assertProblem(upload(base, token, "application/pdf", java.util.Arrays.copyOf(pdf,
                kz.qaqpa.directives.appeal.AppealAttachments.MAX_BYTES + 1)), 413, "urn:qaqpa:problem:payload-too-large");
        assertThat(new JsonObject(authority.as(token, "GET", base, null).body()).getJsonArray("attachments"))
                .as("the token holder sees what was kept, without a way to download").hasSize(1)
                .allSatisfy(kept -> assertThat(((JsonObject) kept).containsKey("href")).isFalse());
    }

    private static HttpResponse<String> upload(String base, String token, String type, byte[] content) throws Exception {
        return send(authority.gateway, "POST", base + "/attachments?name=proof.pdf", content, "Content-Type", type,
                "Authorization", "Bearer " + token);
    }

    /** Without an IIN: a foreign document, kept for the authority; a document with fields of its own is a bad request. */
    @Test
    void aForeignAppellantIsRegisteredByTheirDocument() throws Exception {
        JsonObject foreign = appeal("casino.kz").put("personName", "Anna Schmidt").put("language", "en");
        foreign.remove("iin");
        HttpResponse<String> created = post(foreign.copy().put("foreignDocument",
                new JsonObject().put("type", "PASSPORT").put("number", "C01X00T47").put("country", "DE")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject seen = new JsonObject(admin("GET", "/api/v1/appeals/" + new JsonObject(created.body()).getString("number"),
                null).body());
        assertThat(seen.getJsonObject("appellant").getJsonObject("foreignDocument").getString("country")).isEqualTo("DE");

        assertProblem(post(foreign.copy()), 422, "urn:qaqpa:problem:appeal-invalid");
        assertProblem(post(foreign.copy().put("foreignDocument", new JsonObject().put("type", "PASSPORT")
                .put("number", "C01X00T47").put("country", "DE").put("nationality", "DE"))), 400, "urn:qaqpa:problem:bad-request");
    }

    private static String status(String appeal) throws Exception {
        return new JsonObject(admin("GET", appeal, null).body()).getString("status");
    }

    private static HttpResponse<String> admin(String method, String path, JsonObject body) throws Exception {
        return authority.as(SigningGateway.ADMIN, method, path, body);
    }

    private static JsonObject appeal(String resource) {
        return new JsonObject().put("kind", "OWNER").put("personalDataAcknowledged", true)
                .put("personName", "Айгүл Серікқызы").put("iin", IIN)
                .put("email", "owner@example.kz").put("language", "kk").put("resource", resource)
                .put("directiveNumber", "12-3/456").put("links", new JsonArray().add("https://casino.kz/removed"))
                .put("message", "Материал жойылды.");
    }

    private static HttpResponse<String> post(JsonObject appeal) throws Exception {
        return send(authority.gateway, "POST", "/api/v1/appeals", appeal.encode().getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
    }
}
