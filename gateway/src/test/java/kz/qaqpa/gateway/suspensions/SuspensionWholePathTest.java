package kz.qaqpa.gateway.suspensions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import kz.qaqpa.adapters.whois.FakeWhoisServer;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000 §16–26 end to end: the authority for information security asks for two names'
 * suspension; the request reaches the registry (its webhook, WireMock); the registry's WHOIS (a
 * server of the test's) names one name's registrar, who gets the case by e-mail (GreenMail), and
 * names no registrar for the other, which waits with an alarm until the registry names one; the
 * registry and the registrar acknowledge their steps, the other registrar cannot; a RESTORE ends
 * the case still open.
 */
class SuspensionWholePathTest {

    private static final Duration SOON = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private WireMockServer registry;
    private GreenMail mail;
    private FakeWhoisServer whois;
    private SigningGateway authority;

    @BeforeEach
    void start() throws Exception {
        registry = new WireMockServer(options().dynamicPort());
        registry.start();
        registry.stubFor(post("/requests").willReturn(aResponse().withStatus(200)));
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        whois = new FakeWhoisServer((question, out, closing) -> out.write(FakeWhoisServer.answer(question,
                question.equals("phishing.kz") ? "HOSTER.KZ" : null).getBytes(StandardCharsets.UTF_8)));
        authority = new SigningGateway(dir, DeliverySettings.defaults(),
                SigningGateway.NO_WHOIS.withWhois("127.0.0.1", whois.port()));
    }

    @AfterEach
    void stop() throws Exception {
        authority.close();
        whois.close();
        mail.stop();
        registry.stop();
    }

    @Test
    void fromTheRequestThroughTheRegistryAndTheRegistrarToTheEnd() throws Exception {
        String kaznic = authority.register("kaznic", "KazNIC", "REGISTRY", "WEBHOOK",
                new JsonObject().put("url", registry.baseUrl() + "/requests"));
        assertProblem(authority.as(SigningGateway.ADMIN, "POST", "/api/v1/operators", new JsonObject().put("id", "kaznic-2")
                .put("name", "KazNIC again").put("bin", "990740000029").put("role", "REGISTRY").put("channel", "PULL_ONLY")),
                409, "urn:qaqpa:problem:recipient-exists");
        String hoster = authority.register("hoster", "HOSTER.KZ", "REGISTRAR", "EMAIL", email("abuse@hoster.kz"));
        String ps = authority.register("ps", "PS.KZ", "REGISTRAR", "EMAIL", email("abuse@ps.kz"));
        authority.register("op", "OPERATOR", "PULL_ONLY", null);

        long directive = authority.submit(authority.security, DirectiveJson.restrict("IS-1").domain("phishing.kz", false)
                .domain("unknown.kz", false).suspension("PHISHING")).getLong("id");

        // §17: the request goes to the registry; the operators restrict the names as ever.
        await().atMost(SOON).until(() -> !registry.findAll(postRequestedFor(urlEqualTo("/requests"))).isEmpty());
        assertThat(registry.findAll(postRequestedFor(urlEqualTo("/requests"))).get(0).getBodyAsString()).contains("IS-1");
        JsonArray cases = await().atMost(SOON).until(() -> admin("GET", "/api/v1/suspensions").getJsonArray("cases"),
                listed -> listed.size() == 2 && listed.stream().allMatch(c -> ((JsonObject) c).containsKey("whois")));
        JsonObject phishing = byDomain(cases, "phishing.kz");
        JsonObject unknown = byDomain(cases, "unknown.kz");
        assertThat(phishing.getString("registrar")).isEqualTo("hoster");
        assertThat(phishing.getJsonObject("whois").getString("registrar")).isEqualTo("HOSTER.KZ");
        assertThat(phishing.encode()).as("seed 000 §9").doesNotContain("Серікқызы", "owner@example.kz");
        assertThat(phishing.getJsonObject("next").getString("step")).isEqualTo("SUSPENDED");
        assertThat(phishing.getJsonObject("next").getString("party")).isEqualTo("REGISTRY");
        assertThat(whois.questions()).containsExactlyInAnyOrder("phishing.kz", "unknown.kz");

        // The registrar WHOIS names gets the case; the one it does not name gets nothing yet.
        await().atMost(SOON).until(() -> recipientsOfMail().contains("abuse@hoster.kz"));
        assertThat(recipientsOfMail()).doesNotContain("abuse@ps.kz");
        assertThat(unknown.containsKey("registrar")).isFalse();
        assertThat(new JsonObject(authority.as("none", "GET", "/health/ready", null).body()).getJsonObject("alarms")
                .getString("suspension")).contains("1 domain-suspension cases wait for their registrar");
        String unknownCase = "/api/v1/suspensions/" + unknown.getLong("id");
        assertProblem(authority.as(ps, "GET", unknownCase, null), 404, "urn:qaqpa:problem:not-found");
        assertThat(json(authority.as(kaznic, "POST", unknownCase + "/registrar", new JsonObject().put("registrar", "ps")))
                .getString("registrar")).isEqualTo("ps");
        await().atMost(SOON).until(() -> recipientsOfMail().contains("abuse@ps.kz"));

        // §18, §19: the registry suspends, the case's registrar tells the registrant; not the other registrar.
        String phishingCase = "/api/v1/suspensions/" + phishing.getLong("id");
        assertThat(json(authority.as(kaznic, "POST", phishingCase + "/steps", new JsonObject().put("step", "SUSPENDED")
                .put("note", "suspended in the register"))).getString("state")).isEqualTo("SUSPENDED");
        assertProblem(authority.as(ps, "POST", phishingCase + "/steps", new JsonObject().put("step", "REGISTRANT_NOTIFIED")),
                404, "urn:qaqpa:problem:not-found");
        assertProblem(authority.as(kaznic, "POST", phishingCase + "/steps", new JsonObject().put("step", "REGISTRANT_NOTIFIED")),
                409, "urn:qaqpa:problem:suspension-step-refused");
        assertProblem(authority.as(hoster, "POST", phishingCase + "/steps", new JsonObject().put("step", "RESTORED")),
                409, "urn:qaqpa:problem:suspension-step-refused");
        JsonObject notified = json(authority.as(hoster, "POST", phishingCase + "/steps",
                new JsonObject().put("step", "REGISTRANT_NOTIFIED")));
        assertThat(notified.getJsonObject("next").getString("step")).isEqualTo("REMEDY_REPORTED");
        assertThat(notified.getJsonArray("steps").stream().map(step -> ((JsonObject) step).getString("by")))
                .containsExactly("gateway", "kaznic", "hoster");
        JsonObject deliveries = admin("GET", "/api/v1/directives/" + directive + "/deliveries");
        assertThat(deliveries.getJsonArray("deliveries").stream().map(JsonObject.class::cast)
                .filter(d -> d.getString("recipient").equals("kaznic") || d.getString("recipient").equals("hoster"))
                .map(d -> d.getString("acknowledgement"))).as("their steps acknowledge their deliveries")
                .containsExactly("ENFORCED", "ENFORCED");

        // §21–22: the remedy reported, the registry restores; the RESTORE then ends the other, still open.
        authority.as(kaznic, "POST", phishingCase + "/steps", new JsonObject().put("step", "REMEDY_REPORTED"));
        assertThat(json(authority.as(kaznic, "POST", phishingCase + "/steps", new JsonObject().put("step", "RESTORED")))
                .getString("state")).isEqualTo("RESTORED");
        authority.submit(authority.security, DirectiveJson.restore("IS-2", "IS-1"));
        assertThat(admin("GET", unknownCase).getString("state")).isEqualTo("ENDED");
        assertThat(admin("GET", phishingCase).getString("state")).as("a closed case stays as it closed").isEqualTo("RESTORED");
        await().atMost(SOON).until(() -> registry.findAll(postRequestedFor(urlEqualTo("/requests"))).stream()
                .anyMatch(request -> request.getBodyAsString().contains("IS-2")));
    }

    /** A suspension that says {@code restrictAccess: false}: the name is the registry's case only — no list, no operator. */
    @Test
    void aSuspensionThatRestrictsNothingGoesToTheRegistryAloneAndLeavesTheNameResolving() throws Exception {
        authority.register("kaznic", "KazNIC", "REGISTRY", "WEBHOOK", new JsonObject().put("url", registry.baseUrl() + "/requests"));
        authority.register("op", "OPERATOR", "PULL_ONLY", null);
        authority.register("sts", "STATE_TECHNICAL_SERVICE", "PULL_ONLY", null);

        JsonObject accepted = authority.submit(authority.security, DirectiveJson.restrict("IS-3").domain("quiet.kz", false)
                .suspension("FALSE_REGISTRANT_DATA").set("restrictAccess", com.fasterxml.jackson.databind.node.BooleanNode.FALSE));

        assertThat(accepted.getJsonObject("effect").getJsonObject("newlyRestricted").getJsonArray("keys")).isEmpty();
        JsonObject deliveries = admin("GET", "/api/v1/directives/" + accepted.getLong("id") + "/deliveries");
        assertThat(deliveries.getJsonArray("deliveries").stream().map(d -> ((JsonObject) d).getString("recipient")))
                .containsExactlyInAnyOrder("kaznic", "sts");
        assertThat(new JsonObject(authority.as("none", "GET", "/public/v1/lookup?q=quiet.kz", null).body())
                .getBoolean("restricted")).isFalse();
        assertThat(admin("GET", "/api/v1/suspensions").getJsonArray("cases")).singleElement()
                .satisfies(c -> assertThat(((JsonObject) c).getString("domain")).isEqualTo("quiet.kz"));
        // A restriction of the name later is not shadowed by the suspension: it is on the list.
        JsonObject restricted = authority.submit(DirectiveJson.restrict("C-1").domain("quiet.kz", false));
        assertThat(restricted.getJsonObject("effect").getJsonObject("newlyRestricted").getJsonArray("keys")).hasSize(1);
        JsonObject ended = authority.submit(authority.security, DirectiveJson.restore("IS-4", "IS-3"));
        assertThat(admin("GET", "/api/v1/directives/" + ended.getLong("id") + "/deliveries").getJsonArray("deliveries")
                .stream().map(d -> ((JsonObject) d).getString("recipient"))).containsExactlyInAnyOrder("kaznic", "sts");
    }

    private JsonObject byDomain(JsonArray cases, String domain) {
        return cases.stream().map(JsonObject.class::cast).filter(c -> c.getString("domain").equals(domain)).findFirst()
                .orElseThrow();
    }

    private java.util.List<String> recipientsOfMail() {
        return Arrays.stream(mail.getReceivedMessages()).flatMap(message -> {
            try {
                return Arrays.stream(message.getAllRecipients()).map(Object::toString);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private JsonObject email(String to) {
        return new JsonObject().put("host", "127.0.0.1").put("port", mail.getSmtp().getPort()).put("from", "qaqpa@gateway.kz")
                .put("to", new JsonArray().add(to));
    }

    private JsonObject admin(String method, String path) throws Exception {
        return json(authority.as(SigningGateway.ADMIN, method, path, null));
    }

    private static JsonObject json(java.net.http.HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}
