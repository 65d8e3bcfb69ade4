package kz.qaqpa.loadtest.propagation;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.blocklist.replica.NodeStatus;
import kz.qaqpa.loadtest.BenchmarkAuthority;
import kz.qaqpa.loadtest.BenchmarkCluster;
import kz.qaqpa.loadtest.Documents;
import kz.qaqpa.loadtest.Options;
import kz.qaqpa.loadtest.Plots;
import kz.qaqpa.loadtest.Quantiles;

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
        Options options = Options.parse(args, "--nodes", "--directives", "--rate", "--jar", "--out");
        int nodes = options.integer("--nodes", 3);
        int directives = options.integer("--directives", 400);
        int rate = options.integer("--rate", 20);
        Path jar = Path.of(options.text("--jar", "../gateway/target/qaqpa.jar")).toAbsolutePath();
        Path out = Path.of(options.text("--out", "target/benchmarks")).toAbsolutePath();
        new PropagationBenchmark().run(nodes, directives, rate, jar, out);
    }

    private void run(int nodeCount, int directives, int rate, Path jar, Path out) throws Exception {
        Path dir = Files.createTempDirectory("qaqpa-propagation");
        BenchmarkAuthority authority = BenchmarkAuthority.create(dir);
        try (BenchmarkCluster cluster = BenchmarkCluster.start(dir, authority)) {
            cluster.onReport(this::observe);
            for (int i = 1; i <= nodeCount; i++) {
                cluster.startNode("node-" + i, jar, "256m", "127.0.0.1:53", "");
            }
            cluster.awaitNodes(nodeCount, 0, Duration.ofSeconds(60));

            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < directives; i++) {
                bodies.add(authority.signer().sign(document(i), true));
            }
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long next = System.nanoTime();
            for (int i = 0; i < directives; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                next += interval;
                JsonObject accepted = cluster.submit(bodies.get(i));
                submitted.add(new Submitted(accepted.getLong("blocklistSerial"), i % 2 == 0 ? "RESTRICT" : "RESTORE",
                        System.nanoTime()));
            }
            cluster.awaitNodes(nodeCount, submitted.get(submitted.size() - 1).serial(), Duration.ofSeconds(60));
            report(nodeCount, directives, rate, out);
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

    private void report(int nodes, int directives, int rate, Path out) throws IOException {
        System.out.printf("%d nodes, %d directives at %d/s (RESTRICT and its RESTORE alternating)%n", nodes, directives, rate);
        System.out.println("| action | observations | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|");
        Map<String, List<Long>> sorted = new LinkedHashMap<>();
        synchronized (seen) {
            for (String action : List.of("RESTRICT", "RESTORE")) {
                List<Long> values = new ArrayList<>(latencies.getOrDefault(action, List.of()));
                Collections.sort(values);
                sorted.put(action, values);
                if (!values.isEmpty()) {
                    System.out.printf("| %s | %d | %.1f | %.1f | %.1f |%n", action, values.size(), Quantiles.of(values, 0.50) / 1e6,
                            Quantiles.of(values, 0.99) / 1e6, values.get(values.size() - 1) / 1e6);
                }
            }
        }
        Path plot = Plots.distribution(out.resolve("propagation.png"),
                "Propagation: 201 to enforced, " + nodes + " nodes, " + rate + " directives/s", sorted, 100);
        System.out.println("plot: " + plot);
    }

    private static byte[] document(int i) {
        return i % 2 == 0 ? Documents.restrict("PROP-" + i, List.of("prop-" + i + ".bench.kz"), true)
                : Documents.restore("PROP-" + i, "PROP-" + (i - 1));
    }
}
