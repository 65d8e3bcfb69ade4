package kz.qaqpa.gateway.appeals;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import kz.qaqpa.directives.appeal.AppealMonitoring.Probe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Probing the links of an appeal against pages served by WireMock. */
class LinkProbeTest {

    private static WireMockServer site;
    private static Vertx vertx;
    private static LinkProbe probe;

    @BeforeAll
    static void start() {
        site = new WireMockServer(options().dynamicPort());
        site.start();
        site.stubFor(get("/removed").willReturn(aResponse().withStatus(404)));
        site.stubFor(get("/gone").willReturn(aResponse().withStatus(410)));
        site.stubFor(get("/present").willReturn(aResponse().withStatus(200).withBody("the unlawful material")));
        site.stubFor(get("/moved").willReturn(aResponse().withStatus(301).withHeader("Location", "/present")));
        site.stubFor(get("/loop-a").willReturn(aResponse().withStatus(302).withHeader("Location", "/loop-b")));
        site.stubFor(get("/loop-b").willReturn(aResponse().withStatus(302).withHeader("Location", "/loop-a")));
        site.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        vertx = Vertx.vertx();
        probe = new LinkProbe(vertx, Duration.ofMillis(500), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        probe.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        site.stop();
    }

    @Test
    void removedAndGonePagesAreRecordedWithTheirStatus() {
        assertThat(probe.probe(url("/removed")).statusCode()).isEqualTo(404);
        assertThat(probe.probe(url("/gone")).statusCode()).isEqualTo(410);
    }

    @Test
    void aPageStillThereIsRecognisedByItsHashAndAChangedOneIsNot() {
        Probe before = probe.probe(url("/present"));
        Probe again = probe.probe(url("/present"));
        site.stubFor(get("/present").willReturn(aResponse().withStatus(200).withBody("nothing here any more")));
        Probe changed = probe.probe(url("/present"));

        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(again.bodySha256()).isEqualTo(before.bodySha256());
        assertThat(changed.bodySha256()).isNotEqualTo(before.bodySha256());
        site.stubFor(get("/present").willReturn(aResponse().withStatus(200).withBody("the unlawful material")));
    }

    @Test
    void redirectsAreFollowedToTheFinalPageAndALoopIsAnError() {
        Probe moved = probe.probe(url("/moved"));
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(moved.finalUrl()).isEqualTo(url("/present"));

        Probe loop = probe.probe(url("/loop-a"));
        assertThat(loop.statusCode()).isNull();
        assertThat(loop.error()).contains("redirect loop");
    }

    @Test
    void aPageThatDoesNotAnswerInTimeIsRecordedAsSuch() {
        Probe slow = probe.probe(url("/slow"));

        assertThat(slow.statusCode()).isNull();
        assertThat(slow.error()).isNotBlank();
        assertThat(slow.elapsedMillis()).isLessThan(3_000);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + site.port() + path;
    }
}
