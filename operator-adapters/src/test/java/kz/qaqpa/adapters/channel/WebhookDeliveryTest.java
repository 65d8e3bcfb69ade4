package kz.qaqpa.adapters.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kz.qaqpa.adapters.FanOut;
import kz.qaqpa.adapters.outbox.Backoff;
import kz.qaqpa.adapters.outbox.DeliveryStatus;
import kz.qaqpa.adapters.outbox.DeliveryStore;
import kz.qaqpa.adapters.outbox.DeliveryView;
import kz.qaqpa.adapters.outbox.DispatchSettings;
import kz.qaqpa.adapters.outbox.Dispatcher;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.directives.ManualClock;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.intake.DirectiveExpiry;
import kz.qaqpa.directives.intake.IntakeResult;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries by webhook to WireMock, through the faults an operator's endpoint has. */
class WebhookDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final Duration DELIVERED = Duration.ofSeconds(30);
    private static final Duration STEP = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private FanOut fanOut;
    private Vertx vertx;
    private WireMockServer endpoint;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fanOut = new FanOut(dir, ThrowAwayDatabase.h2());
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
        if (endpoint != null) {
            endpoint.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
        fanOut.close();
    }

    @Test
    void restrictAndRestoreArriveInOrderThroughEveryKindOfFaultSignedAndKeyed() throws Exception {
        endpoint = new WireMockServer(options().dynamicPort());
        endpoint.start();
        String[] states = {STARTED, "500", "reset", "slow", "up"};
        endpoint.stubFor(post("/hook").inScenario("faults").whenScenarioStateIs(states[0])
                .willReturn(aResponse().withStatus(503)).willSetStateTo(states[1]));
        endpoint.stubFor(post("/hook").inScenario("faults").whenScenarioStateIs(states[1])
                .willReturn(aResponse().withStatus(500)).willSetStateTo(states[2]));
        endpoint.stubFor(post("/hook").inScenario("faults").whenScenarioStateIs(states[2])
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo(states[3]));
        endpoint.stubFor(post("/hook").inScenario("faults").whenScenarioStateIs(states[3])
                .willReturn(aResponse().withStatus(200).withFixedDelay((int) TIMEOUT.toMillis() * 3)).willSetStateTo(states[4]));
        endpoint.stubFor(post("/hook").inScenario("faults").whenScenarioStateIs(states[4])
                .willReturn(aResponse().withStatus(204)));
        fanOut.operator("kcell", ChannelKind.WEBHOOK, "{\"url\": \"" + endpoint.baseUrl() + "/hook\"}");

        StoredDirective restrict = fanOut.submit(DirectiveJson.restrict("WH-1").domain("casino.kz", true));
        StoredDirective restore = fanOut.submit(DirectiveJson.restore("WH-2", "WH-1"));
        dispatcher(FanOut.FAST);

        await().atMost(DELIVERED).until(() -> status(restrict) == DeliveryStatus.DELIVERED
                && status(restore) == DeliveryStatus.DELIVERED);
        List<LoggedRequest> requests = endpoint.findAll(postRequestedFor(urlEqualTo("/hook")));
        List<String> keys = requests.stream().map(request -> request.getHeader("Idempotency-Key")).toList();
        String restrictKey = key(restrict);
        String restoreKey = key(restore);
        assertThat(keys.lastIndexOf(restrictKey)).as("every RESTRICT attempt before the RESTORE's first")
                .isLessThan(keys.indexOf(restoreKey));
        assertThat(keys.stream().filter(restrictKey::equals).count()).as("503, 500, reset, timeout, success").isEqualTo(5);
        assertThat(new LinkedHashSet<>(keys)).containsExactly(restrictKey, restoreKey);
        for (LoggedRequest request : requests) {
            JsonNode body = JSON.readTree(request.getBody());
            assertThat(body.path("idempotencyKey").asText()).isEqualTo(request.getHeader("Idempotency-Key"));
            assertSignedByTheGateway(request.getBody(), request.getHeader(WebhookChannel.SIGNATURE_HEADER));
        }
        JsonNode restoreBody = JSON.readTree(requests.get(requests.size() - 1).getBody());
        assertThat(restoreBody.path("directive").path("number").asText()).isEqualTo("WH-2");
        assertThat(Base64.getDecoder().decode(restoreBody.path("document").asText())).isEqualTo(restore.document());
        assertThat(Base64.getDecoder().decode(restoreBody.path("authoritySignature").asText())).isEqualTo(restore.signature());
        DeliveryView made = fanOut.deliveries.forDirective(restrict.id()).get(0);
        assertThat(made.attempts()).isEqualTo(5);
        assertThat(made.lastError()).isEmpty();
    }

    /** Seed 003 §6: the restoration order inside the signed RESTORE, and the letter made of it, as text and PDF. */
    @Test
    void aRestoreCarryingTheOrderArrivesWithItsLetterAsTextAndPdf() throws Exception {
        acceptingEndpoint("kcell");
        fanOut.submit(DirectiveJson.restrict("12-3/456").domain("casino.kz", true));
        StoredDirective restore = fanOut.submit(OrderLetterCheck.restore("12-3/456"));
        dispatcher(FanOut.FAST);

        await().atMost(DELIVERED).until(() -> status(restore) == DeliveryStatus.DELIVERED);
        LoggedRequest last = received(restore);
        JsonNode body = JSON.readTree(last.getBody());
        assertThat(body.path("directive").path("order").path("kk").asText()).startsWith("Байланыс операторына");
        OrderLetterCheck.assertLetter(body.path("orderLetter").path("text").asText(),
                Base64.getDecoder().decode(body.path("orderLetter").path("pdf").asText()), restore.document());
        assertSignedByTheGateway(last.getBody(), last.getHeader(WebhookChannel.SIGNATURE_HEADER));
    }

    /**
     * Seed 002 art. 21: a restriction whose period ended is lifted by a RESTORE the gateway signs with
     * its own key, delivered to every recipient like any directive, citing the expired one.
     */
    @Test
    void aRestrictionWhosePeriodEndedIsLiftedByARestoreTheGatewaySignsAndEveryRecipientGets() throws Exception {
        acceptingEndpoint("kcell", "beeline");
        StoredDirective banned = fanOut.submit(DirectiveJson.restrict("BAN-1").domain("banned.kz", false)
                .set("validUntil", "2026-12-01T00:00:00+05:00"));

        List<IntakeResult> lifted = new DirectiveExpiry(fanOut.database, fanOut.intake, fanOut.gateway,
                java.time.Clock.systemUTC()).expireDue();
        dispatcher(FanOut.FAST);

        StoredDirective restore = lifted.get(0).directive();
        await().atMost(DELIVERED).until(() -> fanOut.deliveries.forDirective(restore.id()).stream()
                .allMatch(view -> view.status() == DeliveryStatus.DELIVERED));
        assertThat(fanOut.deliveries.forDirective(restore.id())).extracting(DeliveryView::recipientId)
                .containsExactlyInAnyOrder("kcell", "beeline");
        LoggedRequest request = received(restore);
        JsonNode body = JSON.readTree(request.getBody());
        assertThat(body.path("directive").path("cancels").path("number").asText()).isEqualTo(banned.number());
        assertThat(body.path("directive").path("action").asText()).isEqualTo("RESTORE");
        // The document is signed by the gateway's key: verifiable by the certificate operators pin for the gateway.
        CMSSignedData cms = new CMSSignedData(Base64.getDecoder().decode(body.path("authoritySignature").asText()));
        SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
        X509CertificateHolder certificate = new X509CertificateHolder(fanOut.gateway.certificate().getEncoded());
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))).isTrue();
        assertThat(new DirectiveExpiry(fanOut.database, fanOut.intake, fanOut.gateway, java.time.Clock.systemUTC())
                .expireDue()).as("lifted once").isEmpty();
    }

    @Test
    void endpointDownForTheFirstPartGetsEveryDirectiveInOrderOnceItIsUp() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        fanOut.operator("beeline", ChannelKind.WEBHOOK, "{\"url\": \"http://127.0.0.1:" + port + "/hook\"}");
        List<StoredDirective> sent = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            sent.add(fanOut.submit(DirectiveJson.restrict("DOWN-" + i).domain("down" + i + ".kz", false)));
        }
        dispatcher(FanOut.FAST);
        await().atMost(DELIVERED).until(() -> fanOut.deliveries.forDirective(sent.get(0).id()).get(0).attempts() >= 3);
        assertThat(fanOut.deliveries.forDirective(sent.get(1).id()).get(0).attempts()).as("waits its turn").isZero();
        assertThat(fanOut.deliveries.forDirective(sent.get(0).id()).get(0).lastError()).isPresent();

        endpoint = new WireMockServer(options().port(port));
        endpoint.start();
        endpoint.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));

        await().atMost(DELIVERED).until(() -> sent.stream().allMatch(d -> status(d) == DeliveryStatus.DELIVERED));
        assertReceivedInOrderOnceEach(sent);
    }

    @Test
    void endpointDownForAnHourOfSimulatedTimeIsRetriedWithBackoffAndThenGetsEveryDirectiveInOrderOnce() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        fanOut.operator("freedom", ChannelKind.WEBHOOK, "{\"url\": \"http://127.0.0.1:" + port + "/hook\"}");
        List<StoredDirective> sent = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            sent.add(fanOut.submit(DirectiveJson.restrict("HOUR-" + i).domain("hour" + i + ".kz", false)));
        }
        ManualClock clock = new ManualClock(Instant.now());
        // The gateway's own backoff (1 s doubling to 10 min) and age limit (24 h); only polling is fast.
        DispatchSettings production = new DispatchSettings(Duration.ofMillis(10),
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10)), Duration.ofMinutes(1), Duration.ofHours(24), 4);
        WebhookChannel webhook = new WebhookChannel(vertx, fanOut.gateway, TIMEOUT);
        closing.add(fanOut.dispatcher(new Channels().with(ChannelKind.WEBHOOK, webhook), production, clock));
        closing.add(webhook);

        Instant downUntil = clock.instant().plus(Duration.ofHours(1));
        while (clock.instant().isBefore(downUntil)) {
            caughtUp(clock);
            clock.advance(STEP);
        }
        caughtUp(clock);
        DeliveryView head = view(sent.get(0));
        assertThat(head.status()).isEqualTo(DeliveryStatus.QUEUED);
        // Backoff bounds: at least 10 attempts in the first 8.5 minutes, then one per 5–10 minutes.
        assertThat(head.attempts()).as("retried, without hammering").isBetween(12, 25);
        for (StoredDirective waiting : sent.subList(1, sent.size())) {
            assertThat(view(waiting).attempts()).as("waits its turn").isZero();
        }

        endpoint = new WireMockServer(options().port(port));
        endpoint.start();
        endpoint.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        Instant giveUp = clock.instant().plus(Duration.ofMinutes(30));
        while (!sent.stream().allMatch(d -> status(d) == DeliveryStatus.DELIVERED) && clock.instant().isBefore(giveUp)) {
            caughtUp(clock);
            clock.advance(STEP);
        }
        await().atMost(DELIVERED).until(() -> sent.stream().allMatch(d -> status(d) == DeliveryStatus.DELIVERED));
        assertReceivedInOrderOnceEach(sent);
    }

    /**
     * What the recipient keeps, deduplicating by idempotency key, is every directive once, in order.
     * A key may arrive twice — an attempt whose answer came after the timeout (a server just
     * starting) is made again — but only straight after itself, never after a later directive's.
     */
    private void assertReceivedInOrderOnceEach(List<StoredDirective> sent) {
        List<String> keys = endpoint.findAll(postRequestedFor(urlEqualTo("/hook"))).stream()
                .map(request -> request.getHeader("Idempotency-Key")).toList();
        List<String> expected = sent.stream().map(this::key).toList();
        assertThat(new LinkedHashSet<>(keys)).containsExactlyElementsOf(expected);
        for (int i = 1; i < keys.size(); i++) {
            assertThat(expected.indexOf(keys.get(i))).as("in order").isGreaterThanOrEqualTo(expected.indexOf(keys.get(i - 1)));
        }
    }

    /** Waits until the dispatcher has taken every delivery due at the clock's time and finished its attempts. */
    private void caughtUp(ManualClock clock) {
        await().pollInterval(Duration.ofMillis(5)).atMost(DELIVERED).until(() ->
                fanOut.deliveries.due(clock.instant(), 10).isEmpty() && attemptsUnderWay() == 0);
    }

    private long attemptsUnderWay() throws Exception {
        try (var connection = fanOut.database.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM delivery WHERE status = 'QUEUED' AND lease_until IS NOT NULL")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void deliveryThatCannotBeMadeInTimeIsDeadCountedAndNoLongerHoldsTheNextBack() throws Exception {
        endpoint = new WireMockServer(options().dynamicPort());
        endpoint.start();
        fanOut.operator("tele2", ChannelKind.WEBHOOK, "{\"url\": \"" + endpoint.baseUrl() + "/hook\"}");
        StoredDirective doomed = fanOut.submit(DirectiveJson.restrict("DEAD-1").domain("dead.kz", false));
        StoredDirective next = fanOut.submit(DirectiveJson.restrict("DEAD-2").domain("alive.kz", false));
        endpoint.stubFor(post("/hook").withHeader("Idempotency-Key", equalTo(key(doomed)))
                .willReturn(aResponse().withStatus(500)));
        endpoint.stubFor(post("/hook").withHeader("Idempotency-Key", equalTo(key(next)))
                .willReturn(aResponse().withStatus(200)));

        dispatcher(new DispatchSettings(FanOut.FAST.poll(), FanOut.FAST.backoff(), FanOut.FAST.lease(),
                Duration.ofMillis(300), 2));

        await().atMost(DELIVERED).until(() -> status(next) == DeliveryStatus.DELIVERED);
        assertThat(status(doomed)).isEqualTo(DeliveryStatus.DEAD);
        assertThat(fanOut.deliveries.forDirective(doomed.id()).get(0).lastError()).hasValue("HTTP 500");
        assertThat(fanOut.metrics.counter("qaqpa_deliveries_dead").count()).isEqualTo(1);
    }

    @Test
    void dispatcherThatDiesAfterSendingLosesNothingAndItsSuccessorRepeatsOnlyUnderTheSameKey() throws Exception {
        endpoint = new WireMockServer(options().dynamicPort());
        endpoint.start();
        endpoint.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        fanOut.operator("altel", ChannelKind.WEBHOOK, "{\"url\": \"" + endpoint.baseUrl() + "/hook\"}");
        StoredDirective first = fanOut.submit(DirectiveJson.restrict("CRASH-1").domain("crash1.kz", false));
        StoredDirective second = fanOut.submit(DirectiveJson.restrict("CRASH-2").domain("crash2.kz", false));
        WebhookChannel webhook = new WebhookChannel(vertx, fanOut.gateway, TIMEOUT);
        DispatchSettings shortLease = new DispatchSettings(FanOut.FAST.poll(), FanOut.FAST.backoff(),
                Duration.ofSeconds(2), Duration.ofHours(1), 2);

        // The first dispatcher sends, then dies before it can record that it did.
        Dispatcher dying = fanOut.dispatcher(new Channels().with(ChannelKind.WEBHOOK, (parcel, settings) -> {
            webhook.deliver(parcel, settings);
            throw new Crash();
        }), shortLease);
        await().dontCatchUncaughtExceptions().atMost(DELIVERED)
                .until(() -> endpoint.findAll(postRequestedFor(urlEqualTo("/hook"))).size() == 1);
        dying.close();
        assertThat(status(first)).as("sent, not recorded").isEqualTo(DeliveryStatus.QUEUED);

        closing.add(fanOut.dispatcher(new Channels().with(ChannelKind.WEBHOOK, webhook), shortLease));

        await().dontCatchUncaughtExceptions().atMost(DELIVERED).until(() -> status(first) == DeliveryStatus.DELIVERED
                && status(second) == DeliveryStatus.DELIVERED);
        List<String> keys = endpoint.findAll(postRequestedFor(urlEqualTo("/hook"))).stream()
                .map(request -> request.getHeader("Idempotency-Key")).toList();
        assertThat(keys).containsExactly(key(first), key(first), key(second));
        Set<String> distinct = new LinkedHashSet<>(keys);
        assertThat(distinct).as("what the recipient keeps after deduplicating").containsExactly(key(first), key(second));
    }

    @Test
    void httpsEndpointIsReachedWhenItsCertificateIsTrustedAndRefusedOtherwise() throws Exception {
        ServerCertificate certificate = ServerCertificate.make(dir, "webhook");
        ServerCertificate stranger = ServerCertificate.make(dir, "stranger");
        endpoint = new WireMockServer(options().dynamicPort().dynamicHttpsPort()
                .keystorePath(certificate.keyStore().toString()).keystoreType("PKCS12")
                .keystorePassword(certificate.password()).keyManagerPassword(certificate.password()));
        endpoint.start();
        endpoint.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        String url = "https://127.0.0.1:" + endpoint.httpsPort() + "/hook";
        fanOut.operator("pinned", ChannelKind.WEBHOOK, JSON.createObjectNode().put("url", url)
                .put("trustedCertificate", certificate.pem()).toString());
        fanOut.operator("wary", ChannelKind.WEBHOOK, JSON.createObjectNode().put("url", url)
                .put("trustedCertificate", stranger.pem()).toString());
        fanOut.operator("default", ChannelKind.WEBHOOK, JSON.createObjectNode().put("url", url).toString());
        StoredDirective restrict = fanOut.submit(DirectiveJson.restrict("TLS-1").domain("tls.kz", false));

        dispatcher(FanOut.FAST);

        await().atMost(DELIVERED).until(() -> to(restrict, "pinned").status() == DeliveryStatus.DELIVERED
                && to(restrict, "wary").attempts() >= 2 && to(restrict, "default").attempts() >= 2);
        assertThat(endpoint.findAll(postRequestedFor(urlEqualTo("/hook")))).hasSize(1);
        assertThat(to(restrict, "wary").status()).isEqualTo(DeliveryStatus.QUEUED);
        assertThat(to(restrict, "default").lastError()).isPresent();
    }

    private DeliveryView to(StoredDirective directive, String recipient) {
        try {
            return fanOut.deliveries.forDirective(directive.id()).stream()
                    .filter(view -> view.recipientId().equals(recipient)).findFirst().orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An endpoint that takes everything (204), registered as each of these operators' webhook. */
    private void acceptingEndpoint(String... operators) throws Exception {
        endpoint = new WireMockServer(options().dynamicPort());
        endpoint.start();
        endpoint.stubFor(post("/hook").willReturn(aResponse().withStatus(204)));
        for (String operator : operators) {
            fanOut.operator(operator, ChannelKind.WEBHOOK, "{\"url\": \"" + endpoint.baseUrl() + "/hook\"}");
        }
    }

    /** The POST that delivered a directive. */
    private LoggedRequest received(StoredDirective directive) {
        return endpoint.findAll(postRequestedFor(urlEqualTo("/hook"))).stream()
                .filter(request -> request.getHeader("Idempotency-Key").equals(key(directive))).findFirst().orElseThrow();
    }

    private void dispatcher(DispatchSettings settings) {
        WebhookChannel webhook = new WebhookChannel(vertx, fanOut.gateway, TIMEOUT);
        closing.add(fanOut.dispatcher(new Channels().with(ChannelKind.WEBHOOK, webhook), settings));
        closing.add(webhook);
    }

    private DeliveryStatus status(StoredDirective directive) {
        return view(directive).status();
    }

    private DeliveryView view(StoredDirective directive) {
        try {
            return fanOut.deliveries.forDirective(directive.id()).get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String key(StoredDirective directive) {
        return DeliveryStore.idempotencyKey(view(directive).id());
    }

    /** A dispatcher's thread dying in the middle of its work, as in a crash. */
    private static final class Crash extends Error {
    }

    private void assertSignedByTheGateway(byte[] body, String signature) throws Exception {
        CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(body), Base64.getDecoder().decode(signature));
        SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
        X509CertificateHolder certificate = (X509CertificateHolder) cms.getCertificates().getMatches(signer.getSID())
                .iterator().next();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))).isTrue();
        assertThat(certificate.getEncoded()).isEqualTo(fanOut.gateway.certificate().getEncoded());
    }
}
