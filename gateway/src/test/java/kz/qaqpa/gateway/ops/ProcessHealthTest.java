package kz.qaqpa.gateway.ops;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness follows the gateway's own process: a stuck event loop, a heap full after collection. */
class ProcessHealthTest {

    @TempDir
    Path dir;

    @Test
    void aBlockedEventLoopMakesTheGatewayNotReadyUntilItHasTurnedFreelyForAWhile() throws Exception {
        try (Gateway gateway = Gateway.start(TestGateways.embedded(dir.resolve("data")))) {
            int port = gateway.httpPort();
            assertThat(send(port, "GET", "/health/ready").statusCode()).isEqualTo(200);

            // The fault: something holds the API's event loop for 3 s (a blocking call where none belongs).
            CountDownLatch blocking = new CountDownLatch(1);
            gateway.api().eventLoop().runOnContext(block -> {
                blocking.countDown();
                try {
                    Thread.sleep(3_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            blocking.await();
            HttpResponse<String> ready = send(port, "GET", "/health/ready"); // answered once the loop is free

            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            assertThat(new JsonObject(ready.body()).getJsonObject("checks").getString("event-loop")).isEqualTo("DOWN");
            assertThat(metric(gateway.api().operationsPort().orElseThrow(), "qaqpa_event_loop_lag_seconds"))
                    .isGreaterThanOrEqualTo(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> send(port, "GET", "/health/ready").statusCode() == 200);
        }
    }

    @Test
    void aHeapStillFullAfterCollectionFailsTheHeapCheck() {
        System.gc();
        long max = Runtime.getRuntime().maxMemory();
        double now = (double) ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / max;
        // A limit 64 MiB above what is in use now; then 256 MiB that survive collection.
        try (ProcessHealth limited = new ProcessHealth(Duration.ofSeconds(2), Duration.ofSeconds(10),
                now + (64.0 * (1 << 20)) / max, new SimpleMeterRegistry())) {
            assertThat(limited.heapBelowLimit()).isTrue();
            byte[][] retained = new byte[256][];
            for (int i = 0; i < retained.length; i++) {
                retained[i] = new byte[1 << 20];
            }
            System.gc();
            assertThat(limited.heapBelowLimit()).as("256 MiB retained").isFalse();
            assertThat(retained[255]).hasSize(1 << 20);
            retained = null;
            System.gc();
            assertThat(limited.heapBelowLimit()).isTrue();
        }
    }

    private static double metric(int port, String name) throws Exception {
        for (String line : send(port, "GET", "/metrics").body().lines().toList()) { // the operations port
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no metric " + name);
    }
}
