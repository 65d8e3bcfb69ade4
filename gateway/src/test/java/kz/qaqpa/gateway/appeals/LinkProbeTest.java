package kz.qaqpa.gateway.appeals;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import kz.qaqpa.directives.appeal.AppealMonitoring.Probe;
import kz.qaqpa.gateway.config.ProbeSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Probing the links of an appeal: pages served by WireMock, and the attacks an appellant can make
 * with a link — internal addresses (SSRF), other schemes and ports, DNS rebinding, an endless body,
 * a dripping body, a gzip bomb. The "public" site listens on 127.0.0.2, the only network these
 * probes may reach besides the public internet; 127.0.0.1 plays the gateway's own host.
 */
class LinkProbeTest {

    private static final String PUBLIC_HOST = "127.0.0.2";

    private static WireMockServer site;
    private static WireMockServer internal;
    private static HostileSite hostile;
    private static LinkProbe probe;

    @BeforeAll
    static void start() throws Exception {
        site = new WireMockServer(options().bindAddress(PUBLIC_HOST).dynamicPort());
        site.start();
        internal = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        internal.start();
        internal.stubFor(get("/secret").willReturn(aResponse().withStatus(200).withBody("internal")));
        site.stubFor(get("/removed").willReturn(aResponse().withStatus(404)));
        site.stubFor(get("/gone").willReturn(aResponse().withStatus(410)));
        site.stubFor(get("/present").willReturn(aResponse().withStatus(200).withBody("the unlawful material")));
        site.stubFor(get("/moved").willReturn(aResponse().withStatus(301).withHeader("Location", "/present")));
        site.stubFor(get("/loop-a").willReturn(aResponse().withStatus(302).withHeader("Location", "/loop-b")));
        site.stubFor(get("/loop-b").willReturn(aResponse().withStatus(302).withHeader("Location", "/loop-a")));
        site.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        site.stubFor(get("/to-internal").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.1:" + internal.port() + "/secret")));
        site.stubFor(get("/to-gopher").willReturn(aResponse().withStatus(302).withHeader("Location", "gopher://example.kz/")));
        site.stubFor(get("/to-ftp").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "ftp://" + PUBLIC_HOST + ":21/")));
        hostile = new HostileSite(PUBLIC_HOST);
        probe = new LinkProbe(settings(), Clock.systemUTC());
    }

    private static ProbeSettings settings() {
        return ProbeSettings.defaults().allowing(List.of(PUBLIC_HOST + "/32"), site.port() + "," + hostile.port())
                .withDeadline(Duration.ofMillis(1_500));
    }

    @AfterAll
    static void stop() {
        probe.close();
        site.stop();
        internal.stop();
        hostile.close();
    }

    @Test
    void removedAndGonePagesAreRecordedWithTheirStatus() {
        assertThat(probe(site("/removed")).statusCode()).isEqualTo(404);
        assertThat(probe(site("/gone")).statusCode()).isEqualTo(410);
    }

    /** Probed from inside a filtered network, a filter's refusal is seen: kept, and noted as no evidence of removal. */
    @Test
    void aFiltersRefusalIsNotedAsSayingNothingOfRemoval() {
        site.stubFor(get("/filtered").willReturn(aResponse().withStatus(451)
                .withHeader("Link", "<https://qaqpa.example.kz/public/v1/directives/N-1>; rel=\"blocked-by\"")));
        site.stubFor(get("/blocked-page").willReturn(aResponse().withStatus(403)
                .withHeader("Link", "<https://isp.example.kz/why>; rel=\"blocked-by\"")));
        Probe filtered = probe(site("/filtered"));
        assertThat(filtered.statusCode()).isEqualTo(451);
        assertThat(filtered.note()).contains("filter's refusal").contains("nothing of removal");
        assertThat(probe(site("/blocked-page")).note()).contains("filter's refusal");
        assertThat(probe(site("/removed")).note()).isNull();
    }

    @Test
    void aPageStillThereIsRecognisedByItsHashAndAChangedOneIsNot() {
        Probe before = probe(site("/present"));
        Probe again = probe(site("/present"));
        site.stubFor(get("/present").willReturn(aResponse().withStatus(200).withBody("nothing here any more")));
        Probe changed = probe(site("/present"));

        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(again.bodySha256()).isEqualTo(before.bodySha256());
        assertThat(changed.bodySha256()).isNotEqualTo(before.bodySha256());
        site.stubFor(get("/present").willReturn(aResponse().withStatus(200).withBody("the unlawful material")));
        assertThat(site.findAll(getRequestedFor(urlEqualTo("/present"))).get(0).getHeader("User-Agent"))
                .as("a browser's User-Agent").startsWith("Mozilla/5.0");
    }

    @Test
    void redirectsAreFollowedToTheFinalPageAndALoopIsAnError() {
        Probe moved = probe(site("/moved"));
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(moved.finalUrl()).isEqualTo(site("/present"));

        Probe loop = probe(site("/loop-a"));
        assertThat(loop.statusCode()).isNull();
        assertThat(loop.error()).contains("redirect loop");
    }

    @Test
    void aPageThatDoesNotAnswerBeforeTheDeadlineIsRecordedAsSuch() {
        Probe slow = probe(site("/slow"));

        assertThat(slow.statusCode()).isNull();
        assertThat(slow.error()).contains("no whole answer within 1500 ms");
    }

    @Test
    void internalAddressesAreRefusedAndTheRefusalIsKept() {
        int port = internal.port();
        assertThat(probe("http://127.0.0.1:" + port + "/secret").error()).startsWith("refused: loopback address 127.0.0.1");
        assertThat(probe("http://localhost:" + port + "/secret").error()).startsWith("refused: loopback address");
        assertThat(probe("http://[::1]:" + port + "/secret").error()).startsWith("refused: loopback address ::1");
        assertThat(probe("http://[::ffff:127.0.0.1]:" + port + "/secret").error()).startsWith("refused: loopback address");
        ProbeSettings webPorts = ProbeSettings.defaults();
        try (LinkProbe plain = new LinkProbe(webPorts, Clock.systemUTC())) {
            assertThat(plain.probe("http://169.254.169.254/latest/meta-data/").toCompletionStage().toCompletableFuture().join()
                    .error()).startsWith("refused: metadata address");
            assertThat(plain.probe("http://10.1.2.3/").toCompletionStage().toCompletableFuture().join().error())
                    .startsWith("refused: private address");
            assertThat(plain.probe("http://100.64.0.1/").toCompletionStage().toCompletableFuture().join().error())
                    .startsWith("refused: shared address space");
            assertThat(plain.probe("http://[fd00::1]/").toCompletionStage().toCompletableFuture().join().error())
                    .startsWith("refused: private address");
            assertThat(plain.probe("http://0.0.0.0/").toCompletionStage().toCompletableFuture().join().error())
                    .startsWith("refused: unspecified address");
        }
        assertThat(internal.getAllServeEvents()).as("nothing reached the internal server").isEmpty();
    }

    @Test
    void aRedirectToAnInternalAddressOrAnotherSchemeOrPortIsRefusedAndKept() {
        Probe toInternal = probe(site("/to-internal"));
        assertThat(toInternal.statusCode()).isNull();
        assertThat(toInternal.error()).startsWith("refused: loopback address 127.0.0.1");
        assertThat(toInternal.finalUrl()).isEqualTo("http://127.0.0.1:" + internal.port() + "/secret");
        assertThat(internal.getAllServeEvents()).isEmpty();

        assertThat(probe(site("/to-gopher")).error()).isEqualTo("refused: scheme 'gopher' (http and https only)");
        assertThat(probe(site("/to-ftp")).error()).isEqualTo("refused: scheme 'ftp' (http and https only)");
        assertThat(probe("http://" + PUBLIC_HOST + ":21/").error()).startsWith("refused: port 21");
        assertThat(probe("file:///etc/passwd").error()).startsWith("refused: scheme 'file'");
    }

    @Test
    void aNameThatResolvesElsewhereAfterTheCheckIsStillFetchedFromTheAddressChecked() throws Exception {
        // DNS rebinding: the first answer is public, every later one the gateway's own host.
        AtomicInteger lookups = new AtomicInteger();
        try (LinkProbe rebound = new LinkProbe(settings(), Clock.systemUTC(), host -> {
            try {
                return List.of(InetAddress.getByName(lookups.getAndIncrement() == 0 ? PUBLIC_HOST : "127.0.0.1"));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        })) {
            String link = "http://rebinding.example:" + site.port() + "/present";
            Probe seen = rebound.probe(link).toCompletionStage().toCompletableFuture().join();
            assertThat(seen.statusCode()).isEqualTo(200);
            assertThat(site.findAll(getRequestedFor(urlEqualTo("/present")))).last()
                    .satisfies(request -> assertThat(request.getHeader("Host")).startsWith("rebinding.example"));
            assertThat(internal.getAllServeEvents()).isEmpty();
        }
    }

    @Test
    void anEndlessBodyIsReadToTheLimitHashedAndCutThere() {
        long limit = 1 << 20;
        ProbeSettings small = new ProbeSettings(Duration.ofSeconds(20), limit, settings().allowedPorts(),
                settings().allowedNetworks(), java.util.Optional.empty(), ProbeSettings.BROWSER_USER_AGENT, 8, 2, 2);
        try (LinkProbe bounded = new LinkProbe(small, Clock.systemUTC())) {
            Probe endless = bounded.probe(hostile.url("/endless")).toCompletionStage().toCompletableFuture().join();

            assertThat(endless.statusCode()).isEqualTo(200);
            assertThat(endless.bodySha256()).hasSize(64);
            assertThat(endless.note()).isEqualTo("truncated at 1048576 bytes");
            assertThat(endless.error()).isNull();
        }
        // The gateway hung up: the site could write only what the socket buffers held beyond the limit.
        org.awaitility.Awaitility.await().until(() -> hostile.openAnswers.get() == 0);
        assertThat(hostile.endlessBytesWritten.get()).isLessThan(64L << 20);
    }

    @Test
    void aDrippingBodyIsCutAtTheDeadlineAndTheConnectionClosed() {
        Probe drip = probe(hostile.url("/drip"));

        assertThat(drip.statusCode()).isNull();
        assertThat(drip.error()).contains("no whole answer within 1500 ms");
        org.awaitility.Awaitility.await().until(() -> hostile.openAnswers.get() == 0);
    }

    @Test
    void aGzipBombIsHashedAsItsCompressedBytesAndNeverInflated() {
        System.gc();
        long before = usedHeap();
        Probe bomb = probe(hostile.url("/gzip-bomb"));
        System.gc();

        assertThat(bomb.statusCode()).isEqualTo(200);
        assertThat(bomb.note()).isNull();
        assertThat(usedHeap() - before).as("heap after GC").isLessThan(64L << 20);
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Probe probe(String link) {
        return probe.probe(link).toCompletionStage().toCompletableFuture().join();
    }

    private static String site(String path) {
        return "http://" + PUBLIC_HOST + ":" + site.port() + path;
    }
}
