package kz.qaqpa.gateway.faults;

import static kz.qaqpa.gateway.faults.GatewayProcesses.awaitReady;
import static kz.qaqpa.gateway.faults.GatewayProcesses.call;
import static kz.qaqpa.gateway.faults.GatewayProcesses.count;
import static kz.qaqpa.gateway.faults.GatewayProcesses.submitUntilAnswered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import kz.qaqpa.blocklist.net.FreePorts;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.signature.DocumentSigner;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway processes sharing one PostgreSQL and one Hazelcast cluster behind HAProxy (Debian's),
 * as the README lays them out, with a filtering node in its own process that pins the gateways'
 * one certificate. Clients submit a burst of signed directives through HAProxy; each gateway in
 * turn is killed with SIGKILL mid-burst, the other takes the burst and the publishing over alone
 * (the node's receipts go on past the kill), and the victim is started again and rejoins before
 * the next kill. Afterwards every directive is there
 * exactly once and the serials run without a gap; the node went on verifying (never flagged
 * tampered, forged or disagreeing while a checker watched throughout) and its signed receipts
 * reached the last serial on both gateways.
 */
class TwoGatewaysIT {

    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final int DIRECTIVES = Integer.getInteger("qaqpa.two.directives", 600);
    private static final int CLIENTS = 4;
    private static final String NODE = "pair-node";
    /** What a node's receipts may never show while the gateways fail over. */
    private static final Set<String> LIES = Set.of("TAMPERED", "FORGED", "DISAGREES");

    @TempDir
    Path dir;

    private GatewayProcesses processes;

    @AfterEach
    void stop() {
        if (processes != null) {
            processes.close();
        }
    }

    @Test
    void eitherGatewayKilledMidBurstLosesNothingAndTheNodeGoesOnVerifying() throws Exception {
        Assumptions.assumeTrue(PrivatePostgres.unavailableBecause().isEmpty(),
                () -> "two-gateway test skipped: " + PrivatePostgres.unavailableBecause().orElse(""));
        Assumptions.assumeTrue(Files.isExecutable(HAPROXY), "two-gateway test skipped: apt-get install haproxy");
        long seed = Long.getLong("qaqpa.two.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("two-gateway test: %d directives, seed %d, process logs in %s%n",
                DIRECTIVES, seed, GatewayProcesses.LOGS.toAbsolutePath());
        processes = new GatewayProcesses(dir);

        OpenSslPki pki = OpenSslPki.create(dir.resolve("pki"), "Two gateways CA");
        Signer signer = pki.issue("signer", KeyType.EC_P256);
        Signer gatewayKey = pki.issue("gateway", KeyType.EC_P256); // the pair's one key: heads verify whoever signed them
        DocumentSigner signing = DocumentSigner.load(signer.key(), Optional.of(signer.certificate()), Optional.empty());
        List<byte[]> burst = new ArrayList<>();
        for (int i = 0; i < DIRECTIVES; i++) {
            burst.add(signing.sign(DirectiveJson.restrict("TG-" + i).domain("tg" + i + ".kz", false).bytes(), true));
        }

        try (PrivatePostgres postgres = PrivatePostgres.start(dir)) {
            int[] ports = FreePorts.take(5);
            String cluster = "pair-" + UUID.randomUUID();
            String members = "127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[3];
            List<List<String>> args = List.of(
                    gatewayArgs("a", ports[0], ports[1], members, cluster, postgres, pki, signer, gatewayKey),
                    gatewayArgs("b", ports[2], ports[3], members, cluster, postgres, pki, signer, gatewayKey));
            List<String> direct = List.of("http://127.0.0.1:" + ports[0], "http://127.0.0.1:" + ports[2]);
            Process[] gateways = {processes.launch("gateway-a", args.get(0)), null};
            awaitReady(direct.get(0)); // the first creates the schema; then the second joins
            gateways[1] = processes.launch("gateway-b", args.get(1));
            awaitReady(direct.get(1));
            String api = "http://127.0.0.1:" + ports[4];
            processes.start("haproxy", List.of(HAPROXY.toString(), "-db", "-f",
                    haproxyConfig(ports[4], ports[0], ports[2]).toString()));
            awaitReady(api);

            processes.launch("node", List.of("filter-node", "--cluster-name", cluster, "--cluster-members", members,
                    "--gateway-certificate", gatewayKey.certificate().toString(),
                    "--dns-port", "0", "--upstream", "127.0.0.1:9", "--node-id", NODE));
            Path nodeKey = dir.resolve("data").resolve("nodes").resolve(NODE + ".pub"); // in its working directory
            await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(nodeKey));
            assertThat(GatewayProcesses.HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/nodes/" + NODE + "/key"))
                    .header("Authorization", "Bearer " + GatewayProcesses.ADMIN)
                    .POST(HttpRequest.BodyPublishers.ofFile(nodeKey)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofMinutes(1)).until(() -> flags(direct), flags -> flags.equals(List.of("OK", "OK")));

            // A checker watches the node through both gateways from now to the end.
            Map<String, Integer> seen = new ConcurrentHashMap<>();
            AtomicBoolean watching = new AtomicBoolean(true);
            Thread checker = new Thread(() -> {
                while (watching.get()) {
                    flags(direct).forEach(flag -> seen.merge(flag, 1, Integer::sum));
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // a look ten times a second
                }
            }, "checker");
            checker.start();

            // The clients take directives while the test lets them: a part of the burst before each kill, so
            // that each kill falls mid-burst and the survivor has more to take alone.
            Map<Integer, Integer> answered = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            AtomicInteger next = new AtomicInteger();
            Semaphore released = new Semaphore(0);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread client = new Thread(() -> {
                    try {
                        while (true) {
                            released.acquire();
                            int i = next.getAndIncrement();
                            if (i >= DIRECTIVES) {
                                return;
                            }
                            answered.put(i, submitUntilAnswered(api, burst.get(i), wrong));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "client-" + c);
                client.start();
                clients.add(client);
            }
            // The older member (a, the publisher) first, then the other. While one is down the survivor
            // takes the burst alone and publishes it: the node's receipts, through the survivor, go on
            // past the serial of the kill. Then the victim is started again and rejoins before the next.
            int part = DIRECTIVES / 3;
            for (int victim = 0; victim < 2; victim++) {
                int from = answered.size();
                released.release(victim == 0 ? part : DIRECTIVES - part + CLIENTS);
                int at = from + part / 4 + random.nextInt(part / 4);
                await().atMost(Duration.ofMinutes(5)).until(() -> answered.size() >= at);
                gateways[victim].destroyForcibly(); // SIGKILL: no shutdown hook, requests cut mid-way, locks held
                assertThat(gateways[victim].waitFor(30, TimeUnit.SECONDS)).isTrue();
                long killedAt = answered.size();
                String survivor = direct.get(1 - victim);
                System.out.printf("two-gateway test: killed gateway %s after %d answers%n", "ab".charAt(victim), killedAt);
                await().atMost(Duration.ofMinutes(2)).until(() -> receiptSerials(List.of(survivor)).get(0),
                        serial -> serial >= killedAt + part / 4);
                gateways[victim] = processes.launch("gateway-" + "ab".charAt(victim), args.get(victim));
                awaitReady(direct.get(victim));
            }
            for (Thread client : clients) {
                client.join(Duration.ofMinutes(10).toMillis());
            }
            awaitReady(direct.get(0));
            awaitReady(direct.get(1));
            try {
                await().atMost(Duration.ofMinutes(2)).until(() -> receiptSerials(direct),
                        serials -> serials.equals(List.of((long) DIRECTIVES, (long) DIRECTIVES)));
                await().atMost(Duration.ofMinutes(1)).until(() -> flags(direct), flags -> flags.equals(List.of("OK", "OK")));
            } finally {
                watching.set(false);
                checker.join();
                System.out.printf("two-gateway test: the node's flags as the gateways saw them throughout: %s%n", seen);
            }

            assertThat(wrong).as("answers other than 201, 200 or unavailable").isEmpty();
            assertThat(answered).hasSize(DIRECTIVES);
            assertThat(seen.keySet()).as("the node never found the cluster lying, nor did a gateway doubt its receipts")
                    .doesNotContainAnyElementsOf(LIES);
            try (Database db = Database.open(postgres.settings(), new SimpleMeterRegistry());
                 Connection connection = db.dataSource().getConnection()) {
                assertThat(count(connection, "SELECT COUNT(*) FROM directive")).as("each directive once").isEqualTo(DIRECTIVES);
                assertThat(count(connection, "SELECT COUNT(DISTINCT number) FROM directive")).isEqualTo(DIRECTIVES);
                assertThat(count(connection, "SELECT COUNT(*) FROM blocklist_change")).isEqualTo(DIRECTIVES);
                assertThat(count(connection, "SELECT MAX(serial) FROM blocklist_change")).as("no gap").isEqualTo(DIRECTIVES);
            }
        }
    }

    private List<String> gatewayArgs(String name, int httpPort, int hazelcastPort, String members, String cluster,
                                     PrivatePostgres postgres, OpenSslPki pki, Signer signer, Signer gatewayKey) {
        return List.of("gateway", "--http-port", Integer.toString(httpPort), "--hazelcast-port", Integer.toString(hazelcastPort),
                "--cluster-members", members, "--cluster-name", cluster, "--xfr-port", "-1", "--no-filter-node",
                "--data-dir", dir.resolve("gateway-" + name).toString(),
                "--trust-anchors", pki.caCertificate().toString(), "--authorised-signers", signer.certificate().toString(),
                "--gateway-key", gatewayKey.key().toString(), "--gateway-certificate", gatewayKey.certificate().toString(),
                "--sth-interval", "2s", "--delivery-timeout", "2s", "--shutdown-grace", "1s",
                "--db-url", postgres.settings().url(), "--db-user", postgres.settings().user());
    }

    /**
     * HAProxy as the README configures it: both gateways, sent requests only while ready, a
     * connection refused by one tried on the other.
     */
    private Path haproxyConfig(int port, int a, int b) throws Exception {
        return Files.writeString(dir.resolve("haproxy.cfg"), """
                global
                    maxconn 512
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    retries 3
                    option redispatch
                frontend api
                    bind 127.0.0.1:%d
                    default_backend gateways
                backend gateways
                    balance roundrobin
                    option httpchk GET /health/ready
                    server a 127.0.0.1:%d check inter 500ms fall 2 rise 2
                    server b 127.0.0.1:%d check inter 500ms fall 2 rise 2
                """.formatted(port, a, b));
    }

    /** The node's flag as each gateway judges its receipts ("none" when a gateway does not answer). */
    private static List<String> flags(List<String> gateways) {
        return gateways.stream().map(api -> node(api).map(node -> node.getString("flag")).orElse("none")).toList();
    }

    /** The tree size of the node's last receipt, as each gateway holds it (-1 when unknown). */
    private static List<Long> receiptSerials(List<String> gateways) {
        return gateways.stream().map(api -> node(api).map(node -> node.getJsonObject("receipt"))
                .map(receipt -> receipt.getLong("treeSize")).orElse(-1L)).toList();
    }

    private static Optional<JsonObject> node(String api) {
        try {
            JsonObject nodes = new JsonObject(call(api, "GET", "/api/v1/nodes", null).body());
            return nodes.getJsonArray("nodes").stream().map(JsonObject.class::cast)
                    .filter(node -> node.getString("id").equals(NODE)).findFirst();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
