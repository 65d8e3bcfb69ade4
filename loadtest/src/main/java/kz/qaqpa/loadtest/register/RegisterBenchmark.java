package kz.qaqpa.loadtest.register;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import kz.qaqpa.loadtest.BenchmarkAuthority;
import kz.qaqpa.loadtest.BenchmarkCluster;
import kz.qaqpa.loadtest.BenchmarkDatabase;
import kz.qaqpa.loadtest.CpuTicks;
import kz.qaqpa.loadtest.Documents;
import kz.qaqpa.loadtest.Options;
import kz.qaqpa.loadtest.SyntheticNames;
import kz.qaqpa.loadtest.WorkDirectory;

/**
 * A whole register at once (SPEC §5: 1,000,000 targets as 100 signed directives of 10,000, enforced
 * by every node within 60 s): a gateway on an empty database (H2 or PostgreSQL) and N filtering nodes in JVMs of their
 * own; every directive signed before the clock starts, then submitted one after another; the time
 * from the first submission until every node enforces the last directive's serial.
 *
 * <p>{@code --concurrency N} (default 1; the intake benchmark's option of the same name) submits
 * from N clients at once, as an authority with N clerks would: the gateway parses and checks one
 * directive's signature while PostgreSQL writes another's rows, and those that arrive together share
 * a commit. The directives are still all signed before the clock starts; the highest serial the
 * gateway answered is the one awaited.
 *
 * <p>{@code --warmup N} first registers N more directives of the same size (other names) and waits
 * until every node enforces them, then starts the clock: the same register taken by a gateway and
 * nodes that have been running, their code compiled, rather than by processes just started.
 *
 * <p>{@code mvn -q -pl loadtest exec:exec -Dbenchmark=kz.qaqpa.loadtest.register.RegisterBenchmark -Dargs="--db postgres --directives 100 --targets 10000"}
 */
public final class RegisterBenchmark {

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, "--db", "--nodes", "--directives", "--targets", "--jar", "--warmup",
                "--concurrency");
        int nodes = options.integer("--nodes", 3);
        int directives = options.integer("--directives", 100);
        int targets = options.integer("--targets", 10_000);
        int warmup = options.integer("--warmup", 0);
        int concurrency = options.integer("--concurrency", 1);
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency is at least 1: " + concurrency);
        }
        Path jar = Path.of(options.text("--jar", "../gateway/target/qaqpa.jar")).toAbsolutePath();

        Path dir = WorkDirectory.create("qaqpa-register");
        BenchmarkAuthority authority = BenchmarkAuthority.create(dir);
        List<byte[]> warming = signed(authority, "WARM-", directives, warmup, targets);
        List<byte[]> bodies = signed(authority, "REG-", 0, directives, targets);
        try (BenchmarkDatabase database = BenchmarkDatabase.create(options.text("--db", "h2"), dir);
             BenchmarkCluster cluster = BenchmarkCluster.start(dir, authority, database.settings())) {
            List<BenchmarkCluster.Node> started = new ArrayList<>();
            for (int i = 1; i <= nodes; i++) {
                started.add(cluster.startNode("node-" + i, jar, "1g", "127.0.0.1:53", ""));
            }
            cluster.awaitNodes(nodes, 0, Duration.ofSeconds(60));
            long warmed = 0;
            for (byte[] body : warming) {
                warmed = cluster.submit(body).getLong("blocklistSerial");
            }
            cluster.awaitNodes(nodes, warmed, Duration.ofMinutes(30));
            double[] cpuBefore = cpuSeconds(started);
            long start = System.nanoTime();
            long[] each = new long[bodies.size()];
            long serial = submit(cluster, bodies, concurrency, each);
            double submitted = (System.nanoTime() - start) / 1e9;
            cluster.awaitNodes(nodes, serial, Duration.ofMinutes(30));
            double enforced = (System.nanoTime() - start) / 1e9;
            double[] cpu = cpuSeconds(started);
            for (int i = 0; i < cpu.length; i++) {
                cpu[i] -= cpuBefore[i];
            }
            Arrays.sort(each);
            System.out.printf("%,d targets as %d directives of %,d, %d nodes, %s%s%s%n", (long) directives * targets, directives,
                    targets, nodes, database.label(),
                    warmup == 0 ? "" : String.format(", after %d directives of warm-up", warmup),
                    concurrency == 1 ? "" : String.format(", %d clients", concurrency));
            System.out.println("| submitted (all 201) s | per directive: median / max s | enforced by every node s | targets/s"
                    + " | CPU s: machine / this JVM (gateway, client) / nodes, mean | bar 60 s |");
            System.out.println("|---|---|---|---|---|---|");
            double nodeMean = 0;
            for (int i = 2; i < cpu.length; i++) {
                nodeMean += cpu[i] / nodes;
            }
            System.out.printf("| %.1f | %.2f / %.2f | %.1f | %,.0f | %.0f / %.0f / %.1f | %s |%n", submitted,
                    each[each.length / 2] / 1e9, each[each.length - 1] / 1e9, enforced,
                    directives * (double) targets / enforced, cpu[0], cpu[1], nodeMean, enforced <= 60 ? "met" : "not met");
        }
        WorkDirectory.delete(dir);
    }

    /**
     * Submits every body from {@code concurrency} clients at once, each body's round trip into
     * {@code each}; returns the highest serial the gateway answered.
     */
    private static long submit(BenchmarkCluster cluster, List<byte[]> bodies, int concurrency, long[] each)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Long>> highest = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                highest.add(clients.submit(() -> {
                    long serial = 0;
                    for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        long one = System.nanoTime();
                        serial = Math.max(serial, cluster.submit(bodies.get(i)).getLong("blocklistSerial"));
                        each[i] = System.nanoTime() - one;
                        if (System.getenv("QAQPA_BENCH_VERBOSE") != null) {
                            System.out.printf("directive %d: %.2f s%n", i + 1, each[i] / 1e9);
                        }
                    }
                    return serial;
                }));
            }
            long serial = 0;
            for (Future<Long> client : highest) {
                serial = Math.max(serial, client.get());
            }
            return serial;
        } finally {
            clients.shutdownNow();
        }
    }

    /** Directives {@code first} to {@code first + count - 1}, signed, each naming {@code targets} names of its own. */
    private static List<byte[]> signed(BenchmarkAuthority authority, String prefix, int first, int count, int targets)
            throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (int d = first; d < first + count; d++) {
            List<String> names = new ArrayList<>(targets);
            for (int t = 0; t < targets; t++) {
                names.add(SyntheticNames.name(d * targets + t));
            }
            bodies.add(authority.signer().sign(Documents.restrict(prefix + d, names, false), true));
        }
        return bodies;
    }

    /** CPU seconds used so far: by the whole machine ({@link CpuTicks}), by this JVM, then by each node. */
    private static double[] cpuSeconds(List<BenchmarkCluster.Node> nodes) throws IOException {
        double[] seconds = new double[2 + nodes.size()];
        seconds[0] = CpuTicks.of("cpu").busySeconds();
        seconds[1] = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() / 1e9;
        for (int i = 0; i < nodes.size(); i++) {
            seconds[2 + i] = nodes.get(i).cpuSeconds();
        }
        return seconds;
    }
}
