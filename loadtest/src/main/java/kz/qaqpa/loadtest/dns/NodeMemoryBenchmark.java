package kz.qaqpa.loadtest.dns;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.loadtest.BenchmarkAuthority;
import kz.qaqpa.loadtest.BenchmarkCluster;
import kz.qaqpa.loadtest.Options;
import kz.qaqpa.loadtest.Plots;
import kz.qaqpa.loadtest.SyntheticNames;
import kz.qaqpa.loadtest.WorkDirectory;

/**
 * A filtering node's memory with a large list, beside dnsdist holding the same names. For each list
 * size: dnsdist loads the names (as the DNS benchmark configures it) and its resident set is read
 * once it answers; then the gateway's database is filled with the same names and a node process
 * ({@code qaqpa.jar filter-node}, one per heap size asked for) loads them from the cluster.
 * Reported for the node: how long it took to enforce the list, its peak resident set while loading
 * ({@code VmHWM}), its resident set once loaded ({@code VmRSS}) and the heap it holds after a full
 * collection (the live set, read with {@code jcmd}) and its resident set then — what it keeps once a
 * collection has given back the heap it no longer needs; the resident set once loaded also as a
 * ratio to dnsdist's.
 * Then the node is made to copy the list anew (a reload marker in the cluster's stream, as a
 * replaced cluster or a process on the cluster port gives), the most it ever holds: the list it
 * enforces and the new one; reported, the time and the peak resident set, or that it ran out.
 *
 * <p>{@code mvn -q -pl loadtest exec:exec -Dbenchmark=kz.qaqpa.loadtest.dns.NodeMemoryBenchmark
 * -Dargs="--entries 100000,1000000 --heaps 1g,256m"}
 *
 * <p>A heap given as {@code SIZE:HEAP} is used for lists of that size only, and in place of the
 * plain ones, which a list ten times as large would not fit in: {@code --entries
 * 100000,1000000,10000000 --heaps 160m,10000000:2g}. {@code --plot FILE} draws each server's
 * resident set against the list's size (PNG).
 */
public final class NodeMemoryBenchmark {

    /** The generations' "used" figures in {@code jcmd GC.heap_info}, for G1, Serial and Parallel alike. */
    private static final Pattern USED = Pattern.compile(
            "(?:garbage-first heap|def new generation|tenured generation|PSYoungGen|ParOldGen)\\s+total \\d+K, used (\\d+)K");

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, "--entries", "--heaps", "--jar", "--plot");
        Path jar = Path.of(options.text("--jar", "../gateway/target/qaqpa.jar")).toAbsolutePath();
        List<String> heaps = List.of(options.text("--heaps", "1g").split(","));
        List<String> rows = new ArrayList<>();
        Map<String, List<double[]>> resident = new TreeMap<>(); // server → (names, RSS MiB once loaded)
        for (String size : options.text("--entries", "100000,1000000").split(",")) {
            int entries = Integer.parseInt(size.replace("_", ""));
            Path dir = WorkDirectory.create("qaqpa-node-memory");
            rows.addAll(measure(dir, entries, heapsFor(entries, heaps), jar,
                    (server, rss) -> resident.computeIfAbsent(server, name -> new ArrayList<>())
                            .add(new double[] {entries, rss >> 20})));
            WorkDirectory.delete(dir);
        }
        String plot = options.text("--plot", "");
        if (!plot.isEmpty()) {
            List<Plots.Series> series = new ArrayList<>();
            resident.forEach((server, points) -> series.add(new Plots.Series(server,
                    points.stream().mapToDouble(point -> point[0]).toArray(),
                    points.stream().mapToDouble(point -> point[1]).toArray())));
            System.out.println("plot: " + Plots.againstSize(Path.of(plot),
                    "Resident memory once the list is loaded", "RSS, MiB", series));
        }
        System.out.printf("%nJVM options added to the node's: %s%n",
                System.getenv().getOrDefault("QAQPA_NODE_JAVA_OPTS", "(none)"));
        System.out.println("| names | server | heap limit | loaded in s | peak RSS MiB | RSS loaded MiB | live heap MiB "
                + "| RSS after a full collection MiB | RSS loaded / dnsdist's | then made to reload: s, peak RSS MiB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** The heaps asked for lists of {@code entries}: those given for that size, or else the plain ones. */
    private static List<String> heapsFor(int entries, List<String> heaps) {
        String prefix = entries + ":";
        List<String> own = heaps.stream().filter(heap -> heap.startsWith(prefix)).map(heap -> heap.substring(prefix.length()))
                .toList();
        return own.isEmpty() ? heaps.stream().filter(heap -> !heap.contains(":")).toList() : own;
    }

    private static List<String> measure(Path dir, int entries, List<String> heaps, Path jar,
                                        BiConsumer<String, Long> residentOnceLoaded) throws Exception {
        List<String> rows = new ArrayList<>();
        int port = Peers.freePort();
        long start = System.nanoTime();
        Process dnsdist = Peers.dnsdist(dir, port, Peers.freePort(), entries, "0-1");
        long dnsdistRss;
        try {
            Peers.awaitAnswer(port, SyntheticNames.restrictedQuery(entries - 1), Peers.NXDOMAIN, Duration.ofMinutes(10));
            double loaded = (System.nanoTime() - start) / 1e9;
            dnsdistRss = status(dnsdist.pid(), "VmRSS:");
            residentOnceLoaded.accept("dnsdist", dnsdistRss);
            rows.add("| %,d | dnsdist | — | %.1f | %d | %d | — | — | 1.00 | — |".formatted(entries, loaded,
                    status(dnsdist.pid(), "VmHWM:") >> 20, dnsdistRss >> 20));
            System.out.println(rows.get(rows.size() - 1));
        } finally {
            Peers.stop(dnsdist);
        }

        start = System.nanoTime();
        try (Database database = Database.open(DatabaseSettings.embedded(dir.resolve("data")), new SimpleMeterRegistry())) {
            SyntheticNames.fill(database.dataSource(), entries);
        }
        System.out.printf("wrote %,d names to the gateway's database in %.1f s%n", entries, (System.nanoTime() - start) / 1e9);
        try (BenchmarkCluster cluster = BenchmarkCluster.start(dir, BenchmarkAuthority.create(dir))) {
            cluster.awaitPublished(entries, Duration.ofMinutes(10)); // the node's time is its own, not the gateway's load
            for (String heap : heaps) {
                start = System.nanoTime();
                BenchmarkCluster.Node node = cluster.startNode("memory-" + heap, jar, heap, "127.0.0.1:" + Peers.freePort(), "");
                long peak = 0;
                while (node.process().isAlive() && !cluster.enforces(node.id(), entries)) {
                    try {
                        peak = status(node.process().pid(), "VmHWM:");
                    } catch (IOException exited) {
                        break; // between the two looks: the row says how it ended
                    }
                    if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
                        throw new IllegalStateException(node.id() + " did not enforce the list in 10 minutes");
                    }
                    Thread.sleep(100); // polling a process in a benchmark harness, not in a test
                }
                double loaded = (System.nanoTime() - start) / 1e9;
                String row;
                node.process().waitFor(1, TimeUnit.SECONDS); // one that is exiting has exited
                if (node.process().isAlive()) {
                    long rss = status(node.process().pid(), "VmRSS:");
                    residentOnceLoaded.accept(heaps.size() == 1 ? "qaqpa filter-node" : "qaqpa filter-node, -Xmx" + heap, rss);
                    peak = status(node.process().pid(), "VmHWM:");
                    long live = liveHeap(node.process().pid());
                    long settled = status(node.process().pid(), "VmRSS:");
                    String reload = reload(cluster, node, entries);
                    row = "| %,d | qaqpa filter-node | %s | %.1f | %d | %d | %d | %d | %.2f | %s |".formatted(entries, heap,
                            loaded, peak >> 20, rss >> 20, live >> 20, settled >> 20, rss / (double) dnsdistRss, reload);
                } else { // -XX:+ExitOnOutOfMemoryError: the heap was too small for the list
                    row = "| %,d | qaqpa filter-node | %s | exited after %.1f (exit %d: out of heap) | %d | — | — | — | — | — |"
                            .formatted(entries, heap, loaded, node.process().exitValue(), peak >> 20);
                }
                System.out.println(row);
                rows.add(row);
                cluster.stopNode(node);
            }
        }
        return rows;
    }

    /**
     * Makes the node copy the list anew while it enforces the one it holds (two matchers at once,
     * the most a node ever holds); how long that took and the peak resident set since it started,
     * or that it ran out of heap.
     */
    private static String reload(BenchmarkCluster cluster, BenchmarkCluster.Node node, int entries) throws Exception {
        long start = System.nanoTime();
        cluster.makeNodesReload(entries);
        long peak = 0;
        while (node.process().isAlive() && loads(node) < 2) {
            try {
                peak = status(node.process().pid(), "VmHWM:");
            } catch (IOException exited) {
                break;
            }
            if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
                throw new IllegalStateException(node.id() + " did not reload in 10 minutes");
            }
            Thread.sleep(100); // polling a process in a benchmark harness, not in a test
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        node.process().waitFor(1, TimeUnit.SECONDS);
        if (!node.process().isAlive()) {
            return "exited after %.1f (out of heap), %d".formatted(seconds, peak >> 20);
        }
        return "%.1f, %d".formatted(seconds, status(node.process().pid(), "VmHWM:") >> 20);
    }

    /** How many times the node has said it loaded the list whole. */
    private static long loads(BenchmarkCluster.Node node) throws IOException {
        try (var lines = Files.lines(node.log())) {
            return lines.filter(line -> line.contains("loaded the blocklist at serial")).count();
        }
    }

    /** A figure of {@code /proc/PID/status}, in bytes. */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no " + field + " for process " + pid);
    }

    /** The heap in use after a full collection, in bytes. */
    private static long liveHeap(long pid) throws Exception {
        jcmd(pid, "GC.run");
        Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
        long bytes = 0;
        while (used.find()) {
            bytes += Long.parseLong(used.group(1)) * 1024;
        }
        return bytes;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process process = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("jcmd " + command + ": " + output);
        }
        return output;
    }
}
