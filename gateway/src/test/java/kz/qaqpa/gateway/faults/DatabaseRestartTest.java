package kz.qaqpa.gateway.faults;

import static kz.qaqpa.gateway.TestGateways.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.gateway.SigningGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops at once (as in a crash or failover) while directives keep arriving, and comes
 * back: meanwhile the API answers 503 {@code database-unavailable} with {@code Retry-After} — never
 * a 500, never a 201 for something not kept — and afterwards it recovers by itself; every directive
 * that got a 201 is there, exactly once, with its serial.
 */
class DatabaseRestartTest {

    @TempDir
    Path dir;

    @Test
    void theApiAnswers503WhileTheDatabaseIsDownRecoversByItselfAndLosesNothingAcknowledged() throws Exception {
        Assumptions.assumeTrue(PrivatePostgres.unavailableBecause().isEmpty(),
                () -> "PostgreSQL restart test skipped: " + PrivatePostgres.unavailableBecause().orElse(""));
        try (PrivatePostgres postgres = PrivatePostgres.start(dir);
             SigningGateway gateway = new SigningGateway(dir, postgres.settings())) {
            Map<String, Integer> answered = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger unavailable = new AtomicInteger();
            Thread client = new Thread(() -> {
                while (running.get()) {
                    String number = "PG-" + next.incrementAndGet();
                    try {
                        HttpResponse<String> response = submit(gateway, number);
                        answered.put(number, response.statusCode());
                        if (response.statusCode() == 503) {
                            assertThat(new JsonObject(response.body()).getString("type"))
                                    .isEqualTo("urn:qaqpa:problem:database-unavailable");
                            assertThat(response.headers().firstValue("Retry-After")).isPresent();
                            unavailable.incrementAndGet();
                        } else if (response.statusCode() != 201) {
                            unexpected.add(number + ": " + response.statusCode() + " " + response.body());
                        }
                    } catch (Exception | AssertionError e) {
                        unexpected.add(number + ": " + e);
                    }
                }
            }, "directive-client");
            client.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> accepted(answered).size() >= 10);
            postgres.stopServer();
            await().atMost(Duration.ofSeconds(60)).until(() -> unavailable.get() >= 3);
            assertThat(send(gateway.gateway, "GET", "/health/ready").statusCode()).isEqualTo(503);
            postgres.startServer();
            int before = accepted(answered).size();
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted(answered).size() >= before + 10);
            running.set(false);
            client.join(30_000);

            assertThat(unexpected).as("neither 500s nor failures other than 503").isEmpty();
            assertThat(send(gateway.gateway, "GET", "/health/ready").statusCode()).isEqualTo(200);
            List<Long> serials = new ArrayList<>();
            for (String number : accepted(answered)) {
                HttpResponse<String> found = gateway.as(SigningGateway.ADMIN, "GET", "/api/v1/directives?number=" + number, null);
                JsonObject page = new JsonObject(found.body());
                assertThat(page.getJsonArray("items")).as(number + " kept exactly once").hasSize(1);
                serials.add(page.getJsonArray("items").getJsonObject(0).getLong("blocklistSerial"));
            }
            assertThat(serials).as("one serial each").doesNotHaveDuplicates();
        }
    }

    private static List<String> accepted(Map<String, Integer> answered) {
        return answered.entrySet().stream().filter(e -> e.getValue() == 201).map(Map.Entry::getKey).toList();
    }

    private static HttpResponse<String> submit(SigningGateway gateway, String number) throws Exception {
        byte[] signed = gateway.pki.signAttached(gateway.signer,
                DirectiveJson.restrict(number).domain(number.toLowerCase() + ".kz", false).bytes(), Encoding.DER);
        return send(gateway.gateway, "POST", "/api/v1/directives", signed, "Content-Type", "application/pkcs7-mime");
    }
}
