package kz.qaqpa.loadtest.propagation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
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
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.loadtest.BenchmarkAuthority;
import kz.qaqpa.loadtest.BenchmarkCluster;
import kz.qaqpa.loadtest.Documents;
import kz.qaqpa.loadtest.Options;
import kz.qaqpa.loadtest.Plots;
import kz.qaqpa.loadtest.Quantiles;
import kz.qaqpa.loadtest.SyntheticNames;
import kz.qaqpa.loadtest.WorkDirectory;

/**
 * Propagation latency (SPEC §5: p99 ≤ 100 ms): a gateway in this JVM and N filtering nodes in JVMs
 * of their own (the packaged {@code qaqpa.jar filter-node}); signed single-target directives
 * submitted at a steady rate, each RESTRICT later restored; for every directive and node, the time
 * from the API's 201 to the node reporting that it enforces the directive's serial. One clock: the
 * gateway's JVM takes both times (nodes report to the cluster's map as they swap a new state in;
 * this JVM listens to it). With {@code --entries N} the list already holds N synthetic names (as the
 * DNS benchmark's) before the nodes start: each change then lands on a node holding a large list.
 *
 * <p>{@code mvn -q -pl loadtest exec:exec -Dbenchmark=kz.qaqpa.loadtest.propagation.PropagationBenchmark -Dargs="--nodes 3 --directives 400 --rate 20 --entries 1000000"}
 */
public final class PropagationBenchmark {

    /** A directive submitted: its serial, what it was, and when the 201 came. */
    private record Submitted(long serial, String action, long acceptedNanos) {
    }

    private final List<Submitted> submitted = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Set<Long>> seen = new HashMap<>();
    private final Map<String, List<Long>> latencies = new HashMap<>();

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, "--nodes", "--directives", "--rate", "--jar", "--out", "--entries", "--node-heap");
        int nodes = options.integer("--nodes", 3);
        int directives = options.integer("--directives", 400);
        int rate = options.integer("--rate", 20);
        Path jar = Path.of(options.text("--jar", "../gateway/target/qaqpa.jar")).toAbsolutePath();
        Path out = Path.of(options.text("--out", "target/benchmarks")).toAbsolutePath();
        int entries = options.integer("--entries", 0);
        // As the README sizes a node for 1,000,000 names.
        String heap = options.text("--node-heap", "160m");
        new PropagationBenchmark().run(nodes, directives, rate, entries, jar, heap, out);
    }

    private void run(int nodeCount, int directives, int rate, int entries, Path jar, String heap, Path out) throws Exception {
        Path dir = WorkDirectory.create("qaqpa-propagation");
        BenchmarkAuthority authority = BenchmarkAuthority.create(dir);
        if (entries > 0) {
            long start = System.nanoTime();
            try (Database database = Database.open(DatabaseSettings.embedded(dir.resolve("data")), new SimpleMeterRegistry())) {
                SyntheticNames.fill(database.dataSource(), entries);
            }
            System.out.printf("wrote %,d names to the gateway's database in %.1f s%n", entries, (System.nanoTime() - start) / 1e9);
        }
        try (BenchmarkCluster cluster = BenchmarkCluster.start(dir, authority)) {
            cluster.awaitPublished(entries, Duration.ofMinutes(10));
            cluster.onReport(this::observe);
            for (int i = 1; i <= nodeCount; i++) {
                cluster.startNode("node-" + i, jar, heap, "127.0.0.1:53", "");
            }
            cluster.awaitNodes(nodeCount, entries, Duration.ofMinutes(5));

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
            report(nodeCount, directives, rate, entries, out);
        }
        WorkDirectory.delete(dir);
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

    private void report(int nodes, int directives, int rate, int entries, Path out) throws IOException {
        System.out.printf("%d nodes, %,d names already restricted, %d directives at %d/s (RESTRICT and its RESTORE alternating)%n",
                nodes, entries, directives, rate);
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
        Path plot = Plots.distribution(out.resolve(entries == 0 ? "propagation.png" : "propagation-" + entries + ".png"),
                "Propagation: 201 to enforced, " + nodes + " nodes, " + rate + " directives/s"
                        + (entries == 0 ? "" : ", onto %,d names".formatted(entries)), sorted, 100);
        System.out.println("plot: " + plot);
    }

    private static byte[] document(int i) {
        return i % 2 == 0 ? Documents.restrict("PROP-" + i, List.of("prop-" + i + ".bench.kz"), true)
                : Documents.restore("PROP-" + i, "PROP-" + (i - 1));
    }
}
