package kz.qaqpa.gateway.appeals;

import kz.qaqpa.gateway.TestGateways;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kz.qaqpa.blocklist.dns.FakeUpstream;
import kz.qaqpa.blocklist.dns.WireClient;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.AppealSettings;
import kz.qaqpa.gateway.config.AppealSettings.MailSettings;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.FeedSettings;
import kz.qaqpa.gateway.config.FilterNodeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 003 end to end: a restricted name, an appeal, its link probed (WireMock), the authority's
 * findings and decision, the drafted order signed as a RESTORE, the filtering node resolving the
 * name again, the recipients' acknowledgements, RESTORED — and the appellant told at each step
 * (GreenMail).
 */
class AppealWholePathTest {

    private static final int NXDOMAIN = 3;
    private static final int NOERROR = 0;

    @TempDir
    Path dir;

    private WireMockServer site;
    private GreenMail mail;
    private FakeUpstream upstream;
    private SigningGateway authority;

    @BeforeEach
    void start() throws Exception {
        site = new WireMockServer(options().dynamicPort());
        site.start();
        site.stubFor(get("/unlawful-page").willReturn(aResponse().withStatus(404)));
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        upstream = new FakeUpstream();
        authority = new SigningGateway(dir, DeliverySettings.defaults(), FeedSettings.onAnyPort(),
                new AppealSettings(Optional.empty(), Optional.of(new MailSettings("127.0.0.1", mail.getSmtp().getPort(), false,
                        Optional.empty(), Optional.empty(), "qaqpa@gateway.kz")), Optional.empty())
                        .withProbes(TestGateways.LOOPBACK_PROBES),
                new FilterNodeSettings(true, "127.0.0.1", 0, upstream.address(), Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        authority.close();
        upstream.close();
        mail.stop();
        site.stop();
    }

    @Test
    void fromRestrictionThroughAppealAndOrderToRestoredAccess() throws Exception {
        String operator = authority.register("path-operator", "OPERATOR", "PULL_ONLY", null);
        String sts = authority.register("path-sts", "STATE_TECHNICAL_SERVICE", "PULL_ONLY", null);
        authority.submit(DirectiveJson.restrict("PATH-1").domain("path.kz", true));
        await().atMost(Duration.ofSeconds(20)).until(() -> rcode("www.path.kz") == NXDOMAIN);

        String link = "http://127.0.0.1:" + site.port() + "/unlawful-page";
        JsonObject registered = new JsonObject(authority.as("none", "POST", "/api/v1/appeals", new JsonObject()
                .put("kind", "OWNER").put("personalDataAcknowledged", true).put("personName", "Айгүл Серікқызы").put("iin", "990740000029")
                .put("email", "owner@example.kz").put("language", "kk").put("resource", "www.path.kz")
                .put("directiveNumber", "PATH-1").put("links", new JsonArray().add(link))).body());
        String appeal = "/api/v1/appeals/" + registered.getString("number");
        // The appellant confirms the address with the link mailed at registration; the notices follow.
        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 1);
        String confirm = ConfirmationMail.link(mail.getReceivedMessages()[0]);
        assertThat(TestGateways.send(authority.gateway, "GET", confirm).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> !admin("GET", appeal, null).getJsonArray("probes").isEmpty());
        assertThat(admin("GET", appeal, null).getJsonArray("probes").getJsonObject(0).getInteger("status")).isEqualTo(404);
        assertThat(admin("GET", appeal, null).getString("status")).isEqualTo("MONITORING");

        admin("POST", appeal + "/findings", new JsonObject().put("findings", new JsonArray()
                .add(new JsonObject().put("link", link).put("removed", true).put("note", "404 at every probe"))));
        admin("POST", appeal + "/violations", new JsonObject().put("note", "the owner closed the section"));
        assertThat(admin("POST", appeal + "/decision", new JsonObject().put("decision", "REMOVAL_CONFIRMED"))
                .getString("status")).isEqualTo("REMOVAL_CONFIRMED");
        JsonObject order = admin("GET", appeal + "/order", null);
        long restore = authority.submit(order.getJsonObject("restore").encode().getBytes(StandardCharsets.UTF_8)).getLong("id");

        await().atMost(Duration.ofSeconds(20)).until(() -> rcode("www.path.kz") == NOERROR);
        JsonObject resumed = new JsonObject().put("directiveId", restore).put("status", "RESUMED");
        authority.as(operator, "POST", "/api/v1/acks", resumed);
        authority.as(sts, "POST", "/api/v1/acks", resumed);
        assertThat(admin("GET", appeal, null).getString("status")).isEqualTo("RESTORED");

        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 4);
        assertThat(Arrays.stream(mail.getReceivedMessages()).map(message -> {
            try {
                return message.getSubject();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).containsExactly(registered.getString("number") + " жолданымы үшін мекенжайды растаңыз",
                "Жолданым " + registered.getString("number") + " тіркелді",
                registered.getString("number") + " жолданымы бойынша шешім",
                "path.kz ресурсына қол жеткізу қайта басталды");
    }

    /**
     * Seed 003 §5: a site restricted by one directive and a page of it by another is one appeal the
     * authority links to both; each directive gets its own order, and the appeal is RESTORED only
     * once every recipient has resumed access under both RESTOREs — also when the last two
     * acknowledgements, one for each RESTORE, arrive together.
     */
    @Test
    void anAppealAboutTwoDirectivesIsRestoredOnceEveryRecipientResumedUnderBoth() throws Exception {
        String operator = authority.register("two-operator", "OPERATOR", "PULL_ONLY", null);
        String sts = authority.register("two-sts", "STATE_TECHNICAL_SERVICE", "PULL_ONLY", null);
        authority.submit(DirectiveJson.restrict("TWO-1").domain("two.kz", false));
        authority.submit(DirectiveJson.restrict("TWO-2").target("URL", "https://two.kz/unlawful-page"));
        String link = "http://127.0.0.1:" + site.port() + "/unlawful-page";
        JsonObject registered = new JsonObject(authority.as("none", "POST", "/api/v1/appeals", new JsonObject()
                .put("kind", "OWNER").put("personalDataAcknowledged", true).put("personName", "Айгүл Серікқызы")
                .put("iin", "990740000029").put("email", "owner@example.kz").put("language", "kk").put("resource", "two.kz")
                .put("directiveNumber", "TWO-1").put("links", new JsonArray().add(link))).body());
        String appeal = "/api/v1/appeals/" + registered.getString("number");

        JsonObject linked = admin("POST", appeal + "/directive", new JsonObject().put("directiveNumber", "TWO-2"));
        assertThat(linked.getString("directiveNumber")).isEqualTo("TWO-1");
        assertThat(linked.getJsonArray("directives")).containsExactly("TWO-1", "TWO-2");
        assertThat(linked.getJsonArray("directiveLinks")).containsExactly("https://two.kz/unlawful-page");
        admin("POST", appeal + "/findings", new JsonObject().put("findings", new JsonArray()
                .add(new JsonObject().put("link", link).put("removed", true))
                .add(new JsonObject().put("link", "https://two.kz/unlawful-page").put("removed", true))));
        admin("POST", appeal + "/violations", new JsonObject());
        assertThat(admin("POST", appeal + "/decision", new JsonObject().put("decision", "REMOVAL_CONFIRMED"))
                .getString("status")).isEqualTo("REMOVAL_CONFIRMED");
        TestGateways.assertProblem(authority.as(SigningGateway.ADMIN, "GET", appeal + "/order", null), 409,
                "urn:qaqpa:problem:appeal-step-refused");
        JsonObject first = admin("GET", appeal + "/order?directive=TWO-1", null);
        JsonObject second = admin("GET", appeal + "/order?directive=TWO-2", null);
        assertThat(first.getJsonObject("restore").getString("number")).isEqualTo(registered.getString("number") + "-R1");
        assertThat(second.getJsonObject("restore").getJsonObject("cancels").getString("number")).isEqualTo("TWO-2");
        long firstRestore = authority.submit(first.getJsonObject("restore").encode().getBytes(StandardCharsets.UTF_8)).getLong("id");
        long secondRestore = authority.submit(second.getJsonObject("restore").encode().getBytes(StandardCharsets.UTF_8)).getLong("id");

        for (long restore : new long[] {firstRestore, secondRestore}) {
            assertThat(authority.as(operator, "POST", "/api/v1/acks", resumed(restore)).statusCode()).isEqualTo(201);
        }
        assertThat(admin("GET", appeal, null).getString("status")).as("the State Technical Service has not resumed")
                .isEqualTo("REMOVAL_CONFIRMED");
        // The last acknowledgement of each RESTORE, at once: whichever commits later sees the other.
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> answers = both.invokeAll(List.of(
                    () -> authority.as(sts, "POST", "/api/v1/acks", resumed(firstRestore)).statusCode(),
                    () -> authority.as(sts, "POST", "/api/v1/acks", resumed(secondRestore)).statusCode()));
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(201);
            }
        } finally {
            both.shutdown();
        }
        assertThat(admin("GET", appeal, null).getString("status")).isEqualTo("RESTORED");
    }

    private static JsonObject resumed(long restore) {
        return new JsonObject().put("directiveId", restore).put("status", "RESUMED");
    }

    private int rcode(String name) throws Exception {
        InetSocketAddress dns = authority.gateway.filterNode().orElseThrow().dnsAddress();
        return WireClient.send(dns, WireClient.query(9, name, true), 2_000).map(WireClient.Reply::rcode).orElse(-1);
    }

    private JsonObject admin(String method, String path, JsonObject body) throws Exception {
        return new JsonObject(authority.as(SigningGateway.ADMIN, method, path, body).body());
    }
}
