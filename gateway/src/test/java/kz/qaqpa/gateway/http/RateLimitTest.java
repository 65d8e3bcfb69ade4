package kz.qaqpa.gateway.http;

import static kz.qaqpa.gateway.TestGateways.assertProblem;
import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.TestGateways;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.RateLimits.Rate;
import kz.qaqpa.gateway.config.RateLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints open to everyone are rate-limited per client address, before any work is done. */
class RateLimitTest {

    private static final String ADMIN = "rate-limit-admin-token-0123456789";

    @TempDir
    static Path dir;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        GatewayConfig base = TestGateways.embedded(dir);
        GatewayConfig limited = base.withAdminToken(Optional.of(ADMIN))
                .withRateLimits(new RateLimits(new Rate(3, Duration.ofHours(1)), new Rate(2, Duration.ofHours(1))));
        gateway = Gateway.start(limited);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aClientOverItsRateIsToldToComeBackAndOtherClientsAndTheAuthorityAreNot() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(send(gateway, "GET", "/public/v1/lookup?q=casino.kz").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = send(gateway, "GET", "/public/v1/lookup?q=casino.kz");
        assertProblem(refused, 429, "urn:qaqpa:problem:rate-limited");
        // 3 an hour: the next one is due in at most 20 minutes.
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 1200L);
        assertThat(refused.body()).contains("3 look-ups and status reads per hour");
        // Every public read shares the client's bucket.
        assertThat(send(gateway, "GET", "/lookup").statusCode()).isEqualTo(429);
        assertThat(send(gateway, "GET", "/api/v1/calendar/2026").statusCode()).isEqualTo(429);

        assertThat(statusFrom("127.0.0.2", "GET /public/v1/lookup?q=casino.kz HTTP/1.1")).isEqualTo(200);
        assertThat(TestGateways.send(gateway, "GET", "/api/v1/appeals/A-NONE", new byte[0],
                "Authorization", "Bearer " + ADMIN).statusCode()).isEqualTo(404);
        // Routes for the authority and for operators are not limited.
        assertThat(send(gateway, "GET", "/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void appealSubmissionsAreCountedAttemptsAndTheRefusalComesBeforeTheBodyIsRead() throws Exception {
        String from = "127.0.0.3";
        assertThat(statusFrom(from, post("{}"))).isEqualTo(422);
        assertThat(statusFrom(from, post("{}"))).isEqualTo(422);
        // Larger than an appeal may be (64 KiB) would be 413; the limit answers first.
        assertThat(statusFrom(from, post("x".repeat(100_000)))).isEqualTo(429);
    }

    @Test
    void appealsSpreadOverTheAddressesOfOneNetworkShareItsLimit() throws Exception {
        // 2 an hour per address, 5 times that per /24: ten addresses of 127.0.1.0/24 with one appeal each...
        for (int host = 1; host <= 10; host++) {
            assertThat(statusFrom("127.0.1." + host, post("{}"))).as("from 127.0.1." + host).isEqualTo(422);
        }
        // ...and the eleventh address of the network is refused, though it sent nothing before.
        assertThat(statusFrom("127.0.1.11", post("{}"))).isEqualTo(429);
        assertThat(statusFrom("127.0.2.1", post("{}"))).as("another network").isEqualTo(422);
        assertThat(RateLimiter.network("2001:db8:1:200::7")).isEqualTo(RateLimiter.network("2001:db8:1:2ff::1"));
        assertThat(RateLimiter.network("2001:db8:1:200::7")).isNotEqualTo(RateLimiter.network("2001:db8:1:300::1"));
    }

    @Test
    void aBucketRefillsEvenlyOverItsPeriodAndForgetsNoClientEarly() {
        ManualTime time = new ManualTime();
        RateLimiter limiter = new RateLimiter("look-ups", new Rate(2, Duration.ofMinutes(1)),
                new Authentication(Optional.empty(), ClientCertificates.notRequired(), token -> Optional.empty(),
                        Authentication.OfficialAccounts.NONE), time);
        assertThat(limiter.take("a")).isEmpty();
        assertThat(limiter.take("a")).isEmpty();
        assertThat(limiter.take("a")).hasValue(30);
        time.advance(Duration.ofSeconds(29));
        assertThat(limiter.take("a")).hasValue(1);
        time.advance(Duration.ofSeconds(1));
        assertThat(limiter.take("a")).isEmpty();
        assertThat(limiter.take("b")).isEmpty();
        assertThat(limiter.take("a")).hasValue(30);
    }

    private static String post(String body) {
        return "POST /api/v1/appeals HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static int statusFrom(String localAddress, String request) throws IOException {
        return TestGateways.rawStatus(gateway.httpPort(), localAddress, request);
    }

    private static final class ManualTime implements TimeMeter {
        private long nanos = TimeUnit.DAYS.toNanos(1);

        void advance(Duration by) {
            nanos += by.toNanos();
        }

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }
}
