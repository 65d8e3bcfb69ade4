package kz.qaqpa.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import kz.qaqpa.adapters.FanOut;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.adapters.recipient.ChannelSettings;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recipient's endpoint that answers with an endless body, or one that drips a byte at a time: the
 * gateway reads at most a bounded part of an answer, and an attempt that runs out of time is cut —
 * its connection closed — rather than left running.
 */
class WebhookAnswerBoundsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @TempDir
    Path dir;

    private Vertx vertx;
    private HttpServer endpoint;
    private WebhookChannel webhook;
    private final AtomicLong written = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final CountDownLatch never = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        FanOut fanOut = new FanOut(dir, ThrowAwayDatabase.h2());
        webhook = new WebhookChannel(vertx, fanOut.gateway, TIMEOUT);
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        endpoint.setExecutor(Executors.newCachedThreadPool());
        endpoint.createContext("/endless", exchange -> stream(exchange, out -> {
            byte[] chunk = new byte[64 * 1024];
            while (true) {
                out.write(chunk);
                out.flush();
                written.addAndGet(chunk.length);
            }
        }));
        endpoint.createContext("/drip", exchange -> stream(exchange, out -> {
            while (true) {
                out.write('x');
                out.flush();
                sleep();
            }
        }));
        endpoint.start();
    }

    @AfterEach
    void stop() {
        never.countDown();
        webhook.close();
        endpoint.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void anEndlessAnswerCountsByItsStatusAndItsConnectionIsCut() throws Exception {
        webhook.deliver(parcel(), settings("/endless"));

        await().until(() -> open.get() == 0);
        assertThat(written.get()).as("what the endpoint could write before the gateway hung up").isLessThan(16L << 20);
    }

    @Test
    void aDrippingAnswerFailsTheAttemptAtTheTimeoutAndTheConnectionIsClosed() {
        assertThatThrownBy(() -> webhook.deliver(parcel(), settings("/drip")))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("within 500 ms");
        await().until(() -> open.get() == 0);
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private void stream(com.sun.net.httpserver.HttpExchange exchange, Body body) throws IOException {
        open.incrementAndGet();
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0);
            body.write(out);
        } catch (IOException e) {
            // the gateway hung up
        } finally {
            open.decrementAndGet();
            exchange.close();
        }
    }

    private void sleep() {
        try {
            never.await(50, TimeUnit.MILLISECONDS); // the endpoint's pace
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Parcel parcel() {
        return new Parcel(1, "key-1", "kcell", "N-1", "RESTRICT", Instant.parse("2026-12-03T10:00:00Z"), "990740000029",
                "Authority", "basis", null, null, List.of("casino.kz"), "{\"number\":\"N-1\"}".getBytes(StandardCharsets.UTF_8),
                new byte[] {1});
    }

    private ChannelSettings settings(String path) {
        return ChannelSettings.of(ChannelKind.WEBHOOK, new ObjectMapper().createObjectNode()
                .put("url", "http://127.0.0.1:" + endpoint.getAddress().getPort() + path));
    }
}
