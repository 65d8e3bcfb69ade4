package kz.qaqpa.gateway.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static kz.qaqpa.gateway.faults.GatewayProcesses.awaitReady;
import static kz.qaqpa.gateway.faults.GatewayProcesses.call;
import static kz.qaqpa.gateway.faults.GatewayProcesses.count;
import static kz.qaqpa.gateway.faults.GatewayProcesses.submitUntilAnswered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kz.qaqpa.blocklist.net.FreePorts;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.signature.DocumentSigner;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway, killed with SIGKILL at random moments while several clients submit a burst
 * of signed directives, and started again each time; on its embedded H2 file database and on
 * PostgreSQL, with a filtering node in its
 * own process and an operator's webhook. Clients do what a client should: repeat the same signed
 * bytes until they get an answer. Afterwards every directive is there exactly once, the serials run
 * without a gap, the node has reached the last serial, and the operator got every directive under
 * one idempotency key each.
 *
 * <p>{@code -Dqaqpa.crash.directives} (default 500: three kills each store within the suite's time)
 * and {@code -Dqaqpa.crash.kills} (default 3) make a longer run ({@code reliability/long-run.sh crash});
 * {@code -Dqaqpa.crash.seed} repeats one.
 */
class CrashIT {

    private static final int DIRECTIVES = Integer.getInteger("qaqpa.crash.directives", 500);
    private static final int KILLS = Integer.getInteger("qaqpa.crash.kills", 3);
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    private GatewayProcesses processes;
    private WireMockServer operator;

    @AfterEach
    void stop() {
        if (processes != null) {
            processes.close();
        }
        if (operator != null) {
            operator.stop();
        }
    }

    /** Where the gateway keeps its data: both must keep every 201 through a SIGKILL. */
    enum Store { EMBEDDED_H2, POSTGRESQL }

    @ParameterizedTest
    @EnumSource(Store.class)
    void killedAtRandomMidBurstAndRestartedTheGatewayLosesNothingAndRepeatsNothing(Store store) throws Exception {
        if (store == Store.POSTGRESQL) {
            Assumptions.assumeTrue(PrivatePostgres.unavailableBecause().isEmpty(),
                    () -> "crash test skipped: " + PrivatePostgres.unavailableBecause().orElse(""));
        }
        long seed = Long.getLong("qaqpa.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("crash test on %s: %d directives, %d kills, seed %d, process logs in %s%n",
                store, DIRECTIVES, KILLS, seed, GatewayProcesses.LOGS.toAbsolutePath());
        processes = new GatewayProcesses(dir);

        OpenSslPki pki = OpenSslPki.create(dir.resolve("pki"), "Crash test CA");
        Signer signer = pki.issue("signer", KeyType.EC_P256);
        DocumentSigner signing = DocumentSigner.load(signer.key(), Optional.of(signer.certificate()), Optional.empty());
        List<byte[]> burst = new ArrayList<>();
        for (int i = 0; i < DIRECTIVES; i++) {
            burst.add(signing.sign(DirectiveJson.restrict("CR-" + i).domain("cr" + i + ".kz", false).bytes(), true));
        }
        operator = new WireMockServer(options().dynamicPort().containerThreads(16));
        operator.start();
        // The operator takes a few milliseconds to answer, so that a kill can fall between its
        // receiving a directive and the gateway's recording the delivery: the repeat must carry the same key.
        operator.stubFor(post("/hook").willReturn(aResponse().withStatus(200).withFixedDelay(5)));

        try (PrivatePostgres postgres = store == Store.POSTGRESQL ? PrivatePostgres.start(dir) : null) {
            DatabaseSettings database = postgres != null ? postgres.settings() : DatabaseSettings.embedded(dir.resolve("data"));
            int[] ports = FreePorts.take(2);
            String cluster = "crash-" + UUID.randomUUID();
            List<String> gatewayArgs = gatewayArgs(postgres, ports, cluster, pki, signer);
            Process gateway = processes.launch("gateway", gatewayArgs);
            String api = "http://127.0.0.1:" + ports[0];
            awaitReady(api);
            JsonObject registered = new JsonObject(call(api, "POST", "/api/v1/operators", new JsonObject().put("id", "kcell")
                    .put("name", "Kcell").put("bin", "990740000029").put("role", "OPERATOR").put("channel", "WEBHOOK")
                    .put("settings", new JsonObject().put("url", operator.baseUrl() + "/hook")).encode()).body());
            assertThat(registered.getString("token")).isNotBlank();
            processes.launch("node", List.of("filter-node", "--cluster-name", cluster, "--cluster-members", "127.0.0.1:" + ports[1],
                    "--dns-port", "0", "--upstream", "127.0.0.1:9", "--node-id", "crash-node"));

            Map<Integer, Integer> answered = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            AtomicInteger next = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread client = new Thread(() -> {
                    for (int i = next.getAndIncrement(); i < DIRECTIVES; i = next.getAndIncrement()) {
                        answered.put(i, submitUntilAnswered(api, burst.get(i), wrong));
                    }
                }, "client-" + c);
                client.start();
                clients.add(client);
            }
            for (int kill = 1; kill <= KILLS; kill++) {
                int at = DIRECTIVES * kill / (KILLS + 1) + random.nextInt(Math.max(1, DIRECTIVES / (2 * (KILLS + 1))));
                await().atMost(Duration.ofMinutes(5)).until(() -> answered.size() >= at);
                gateway.destroyForcibly(); // SIGKILL: no shutdown hook, requests cut mid-way
                assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
                System.out.printf("crash test: killed the gateway after %d answers%n", answered.size());
                gateway = processes.launch("gateway", gatewayArgs);
            }
            for (Thread client : clients) {
                client.join(Duration.ofMinutes(10).toMillis());
            }

            assertThat(wrong).as("answers other than 201, 200 or unavailable").isEmpty();
            assertThat(answered).hasSize(DIRECTIVES);
            try {
                await().atMost(Duration.ofMinutes(2)).until(() -> nodeSerial(api), serial -> serial == DIRECTIVES);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the node did not reach serial " + DIRECTIVES + "; the nodes: "
                        + call(api, "GET", "/api/v1/nodes", null).body() + "; the latest tree head: "
                        + call(api, "GET", "/public/v1/log/sth", null).body().replaceAll("[^ -~]", "."), e);
            }
            // Deliveries cut by a kill are taken again once their lease (1 minute) runs out.
            await().atMost(Duration.ofMinutes(5)).until(() -> receivedNumbers().size() == DIRECTIVES);
            if (store == Store.EMBEDDED_H2) {
                gateway.destroy(); // the embedded database is the gateway's alone: stop it to look inside
                assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            try (Database db = Database.open(database, new SimpleMeterRegistry())) {
                // Before a connection is held: the embedded store has one (Database.poolConfig).
                assertThat(AuditLog.verify(db.dataSource()).intact()).as("the audit chain verifies").isTrue();
                try (Connection connection = db.dataSource().getConnection()) {
                    assertThat(count(connection, "SELECT COUNT(*) FROM directive")).as("each directive once").isEqualTo(DIRECTIVES);
                    assertThat(count(connection, "SELECT COUNT(DISTINCT number) FROM directive")).isEqualTo(DIRECTIVES);
                    assertThat(count(connection, "SELECT COUNT(*) FROM blocklist_change")).isEqualTo(DIRECTIVES);
                    assertThat(count(connection, "SELECT MIN(serial) FROM blocklist_change")).isEqualTo(1);
                    assertThat(count(connection, "SELECT MAX(serial) FROM blocklist_change")).as("no gap").isEqualTo(DIRECTIVES);
                    assertThat(count(connection, "SELECT COUNT(*) FROM directive WHERE blocklist_serial IS NULL")).isZero();
                    if (store == Store.POSTGRESQL) {
                        await().atMost(Duration.ofMinutes(1)).until(
                                () -> count(connection, "SELECT COUNT(*) FROM delivery WHERE status = 'DELIVERED'") == DIRECTIVES);
                    }
                }
            }
            Map<String, Set<String>> keysByDirective = new HashMap<>();
            List<LoggedRequest> received = operator.findAll(postRequestedFor(urlEqualTo("/hook")));
            System.out.printf("crash test: %d directives, %d webhook requests (repeats are deliveries a kill cut short)%n",
                    DIRECTIVES, received.size());
            for (LoggedRequest request : received) {
                String number = new JsonObject(request.getBodyAsString()).getJsonObject("directive").getString("number");
                keysByDirective.computeIfAbsent(number, n -> new HashSet<>()).add(request.getHeader("Idempotency-Key"));
            }
            assertThat(keysByDirective).as("every directive reached the operator").hasSize(DIRECTIVES);
            assertThat(keysByDirective.values()).as("each under one idempotency key, however often sent")
                    .allSatisfy(keys -> assertThat(keys).hasSize(1));
        }
    }

    private Set<String> receivedNumbers() {
        Set<String> numbers = new HashSet<>();
        for (LoggedRequest request : operator.findAll(postRequestedFor(urlEqualTo("/hook")))) {
            numbers.add(new JsonObject(request.getBodyAsString()).getJsonObject("directive").getString("number"));
        }
        return numbers;
    }

    /** The gateway's command line: on PostgreSQL when one is given, else on its embedded default. */
    private List<String> gatewayArgs(PrivatePostgres postgres, int[] ports, String cluster, OpenSslPki pki, Signer signer) {
        List<String> args = new ArrayList<>(List.of("gateway", "--http-port", Integer.toString(ports[0]),
                "--hazelcast-port", Integer.toString(ports[1]), "--xfr-port", "-1", "--no-filter-node",
                "--cluster-name", cluster, "--data-dir", dir.resolve("data").toString(),
                "--trust-anchors", pki.caCertificate().toString(), "--authorised-signers", signer.certificate().toString(),
                "--delivery-timeout", "2s", "--shutdown-grace", "1s"));
        if (postgres != null) {
            args.addAll(List.of("--db-url", postgres.settings().url(), "--db-user", postgres.settings().user()));
        }
        return args;
    }

    private static long nodeSerial(String api) {
        try {
            JsonObject nodes = new JsonObject(call(api, "GET", "/api/v1/nodes", null).body());
            return nodes.getJsonArray("nodes").stream().map(JsonObject.class::cast)
                    .filter(node -> node.getString("id").equals("crash-node"))
                    .mapToLong(node -> node.getLong("appliedSerial")).findFirst().orElse(-1);
        } catch (Exception e) {
            return -1;
        }
    }
}
