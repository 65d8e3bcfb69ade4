package kz.qaqpa.loadtest.propagation;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.replica.NodeStatus;
import kz.qaqpa.blocklist.replica.ReplicatedBlocklist;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.config.AppealSettings;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.FeedSettings;
import kz.qaqpa.gateway.config.FilterNodeSettings;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.IntakeLimits;
import kz.qaqpa.gateway.config.Retention;
import kz.qaqpa.gateway.config.TrustFiles;
import kz.qaqpa.loadtest.BenchmarkAuthority;

/**
 * Propagation latency (SPEC §5: p99 ≤ 100 ms): a gateway in this JVM and N filtering nodes in JVMs
 * of their own (the packaged {@code qaqpa.jar filter-node}); signed single-target directives
 * submitted at a steady rate, each RESTRICT later restored; for every directive and node, the time
 * from the API's 201 to the node reporting that it enforces the directive's serial. One clock: the
 * gateway's JVM takes both times (nodes report to the cluster's map as they swap a new state in;
 * this JVM listens to it).
 *
 * <p>{@code mvn -q -pl loadtest exec:exec -Dbenchmark=kz.qaqpa.loadtest.propagation.PropagationBenchmark -Dargs="--nodes 3 --directives 400 --rate 20"}
 */
public final class PropagationBenchmark {

    /** A directive submitted: its serial, what it was, and when the 201 came. */
    private record Submitted(long serial, String action, long acceptedNanos) {
    }

    private final List<Submitted> submitted = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Set<Long>> seen = new HashMap<>();
    private final Map<String, List<Long>> latencies = new HashMap<>();

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int nodes = Integer.parseInt(options.getOrDefault("--nodes", "3"));
        int directives = Integer.parseInt(options.getOrDefault("--directives", "400"));
        int rate = Integer.parseInt(options.getOrDefault("--rate", "20"));
        Path jar = Path.of(options.getOrDefault("--jar", "../gateway/target/qaqpa.jar")).toAbsolutePath();
        new PropagationBenchmark().run(nodes, directives, rate, jar);
    }

    private void run(int nodeCount, int directives, int rate, Path jar) throws Exception {
        Path dir = Files.createTempDirectory("qaqpa-propagation");
        BenchmarkAuthority authority = BenchmarkAuthority.create(dir);
        String cluster = "bench-" + UUID.randomUUID();
        GatewayConfig config = new GatewayConfig("127.0.0.1", 0, dir.resolve("data"), DatabaseSettings.embedded(dir.resolve("data")),
                new ClusterSettings(cluster, "127.0.0.1", 0, List.of()), Optional.empty(), Duration.ofSeconds(5),
                new TrustFiles(List.of(authority.ca()), List.of(authority.certificate()), List.of()), IntakeLimits.defaults(),
                FilterNodeSettings.disabled(), Retention.defaults(), DeliverySettings.defaults(), FeedSettings.onAnyPort(),
                AppealSettings.defaults());
        List<Process> nodes = new ArrayList<>();
        try (Gateway gateway = Gateway.start(config)) {
            int hazelcastPort = gateway.cluster().hazelcast().getCluster().getLocalMember().getSocketAddress().getPort();
            IMap<String, NodeStatus> reports = gateway.cluster().hazelcast().getMap(ReplicatedBlocklist.NODES);
            reports.addEntryListener(new Listener(), true);
            for (int i = 1; i <= nodeCount; i++) {
                nodes.add(new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString(), "filter-node", "--cluster-name", cluster,
                        "--cluster-members", "127.0.0.1:" + hazelcastPort, "--dns-port", "0", "--node-id", "node-" + i)
                        .redirectErrorStream(true).redirectOutput(dir.resolve("node-" + i + ".log").toFile()).start());
            }
            waitFor(() -> reports.values().stream().filter(NodeStatus::consistent).count() == nodeCount, 60, "nodes to start");

            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < directives; i++) {
                bodies.add(authority.signer().sign(document(i), true));
            }
            HttpClient http = HttpClient.newHttpClient();
            URI endpoint = URI.create("http://127.0.0.1:" + gateway.httpPort() + "/api/v1/directives");
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long next = System.nanoTime();
            for (int i = 0; i < directives; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                next += interval;
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(endpoint)
                        .header("Content-Type", "application/pkcs7-mime")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(), HttpResponse.BodyHandlers.ofString());
                long accepted = System.nanoTime();
                if (answer.statusCode() != 201) {
                    throw new IllegalStateException("directive " + i + ": HTTP " + answer.statusCode() + " " + answer.body());
                }
                JsonObject body = new JsonObject(answer.body());
                submitted.add(new Submitted(body.getLong("blocklistSerial"), i % 2 == 0 ? "RESTRICT" : "RESTORE", accepted));
            }
            long last = submitted.get(submitted.size() - 1).serial();
            waitFor(() -> reports.values().stream().allMatch(status -> status.appliedSerial() >= last), 60, "nodes to catch up");
            report(nodeCount, directives, rate);
        } finally {
            for (Process node : nodes) {
                node.destroy();
                node.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Every report of a node: the directives whose serial it now enforces, seen for the first time. */
    private final class Listener implements EntryAddedListener<String, NodeStatus>, EntryUpdatedListener<String, NodeStatus> {

        @Override
        public void entryAdded(EntryEvent<String, NodeStatus> event) {
            observe(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, NodeStatus> event) {
            observe(event.getValue());
        }
    }

    private void observe(NodeStatus status) {
        long now = System.nanoTime();
        List<Submitted> snapshot;
        synchronized (submitted) {
            snapshot = List.copyOf(submitted);
        }
        synchronized (seen) {
            Set<Long> done = seen.computeIfAbsent(status.id(), id -> new HashSet<>());
            for (Submitted directive : snapshot) {
                if (directive.serial() <= status.appliedSerial() && done.add(directive.serial())) {
                    latencies.computeIfAbsent(directive.action(), action -> new ArrayList<>())
                            .add(Math.max(0, now - directive.acceptedNanos()));
                }
            }
        }
    }

    private void report(int nodes, int directives, int rate) {
        System.out.printf("%d nodes, %d directives at %d/s (RESTRICT and its RESTORE alternating)%n", nodes, directives, rate);
        System.out.println("| action | observations | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|");
        synchronized (seen) {
            for (String action : List.of("RESTRICT", "RESTORE")) {
                List<Long> values = new ArrayList<>(latencies.getOrDefault(action, List.of()));
                Collections.sort(values);
                if (values.isEmpty()) {
                    continue;
                }
                System.out.printf("| %s | %d | %.1f | %.1f | %.1f |%n", action, values.size(), millis(values, 0.50),
                        millis(values, 0.99), values.get(values.size() - 1) / 1e6);
            }
        }
    }

    private static double millis(List<Long> sorted, double quantile) {
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static byte[] document(int i) {
        String json = i % 2 == 0
                ? """
                {"schema":"qaqpa.directive/v1","number":"PROP-%d","issuedAt":"2026-11-20T10:00:00+05:00",
                 "authority":{"name":"Benchmark authority","bin":"990740000029"},"action":"RESTRICT","legalBasis":"benchmark",
                 "targets":[{"type":"DOMAIN","value":"prop-%d.bench.kz","includeSubdomains":true}],"recipients":"ALL"}"""
                        .formatted(i, i)
                : """
                {"schema":"qaqpa.directive/v1","number":"PROP-%d","issuedAt":"2026-11-20T10:00:00+05:00",
                 "authority":{"name":"Benchmark authority","bin":"990740000029"},"action":"RESTORE","legalBasis":"benchmark",
                 "cancels":{"number":"PROP-%d","date":"2026-11-20"},"recipients":"ALL"}""".formatted(i, i - 1);
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            Thread.sleep(20); // polling a condition in a benchmark harness, not in a test
        }
    }

    private static Map<String, String> options(String[] args) {
        List<String> words = new ArrayList<>();
        for (String arg : args) {
            if (!arg.isBlank()) {
                words.addAll(List.of(arg.trim().split("\\s+")));
            }
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < words.size(); i += 2) {
            options.put(words.get(i), words.get(i + 1));
        }
        return options;
    }
}
