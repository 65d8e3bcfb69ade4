package kz.qaqpa.loadtest.dns;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import kz.qaqpa.blocklist.replica.NodeStatus;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.loadtest.BenchmarkAuthority;
import kz.qaqpa.loadtest.BenchmarkCluster;
import kz.qaqpa.loadtest.CpuTicks;
import kz.qaqpa.loadtest.Documents;
import kz.qaqpa.loadtest.Options;
import kz.qaqpa.loadtest.Plots;
import kz.qaqpa.loadtest.Quantiles;
import kz.qaqpa.loadtest.SyntheticNames;
import kz.qaqpa.loadtest.WorkDirectory;

/**
 * DNS filtering side by side with dnsdist, then updates under load.
 *
 * <p>Both filters hold the same N synthetic names (half with their subdomains), both forward every
 * other name to the same Unbound, and both are driven by dnsperf with the same query files, one
 * after the other, the filter pinned to one CPU and dnsperf and Unbound to the other. Both servers
 * run through both measurements, each idle while the other is measured, beside the gateway the node
 * follows (in this JVM, on dnsperf's CPU): the same neighbours for each. Two query mixes: 10 %
 * restricted names (the rest forwarded), and 100 % restricted (the filter alone, no upstream). Each
 * server first takes {@code --warmup-seconds} (10) of the 10 % mix, unmeasured; then, for each mix:
 * the saturated rate, and latency at a fixed rate below saturation, every answer timed by dnsperf.
 * With the load generator's core the one that sets both saturated rates, each server's CPU per
 * answer in the saturated run is the figure of its own efficiency, and is reported beside it.
 *
 * <p>Updates under load: while dnsperf sends the 10 % mix at the fixed rate to our node, 100,000
 * names are restricted through the gateway's API (10 signed directives of 10,000). Reported: the
 * per-second rate's dip, the worst latency, the node's RSS before, at most and after, the time until
 * the node enforced the last of them, and how many answers to a restricted name were NOERROR
 * (must be none).
 *
 * <p>Growth: {@code --entries} takes several list sizes ({@code 100000,1000000}); each is measured
 * side by side in a run of its own (a new database, gateway, node, dnsdist and Unbound), the updates
 * under load at the last size only, and a table of the ratios at every size is printed at the end.
 * {@code --plot FILE} draws each server's saturated rate against the list size.
 *
 * <p>{@code mvn -q -pl loadtest exec:exec -Dbenchmark=kz.qaqpa.loadtest.dns.DnsBenchmark -Dargs="--entries 1000000"}
 */
public final class DnsBenchmark {

    private static final int QUERY_LINES = 200_000;
    private static final String OURS = "qaqpa filter-node";
    private static final String DNSDIST = "dnsdist";
    private static final List<String> MIXES = List.of("10 % restricted", "100 % restricted");
    private static final int UPDATE_DIRECTIVES = 10;
    private static final int UPDATE_TARGETS = 10_000;
    /** Seconds of steady load before the first change is submitted. */
    private static final int STEADY_SECONDS = 3;

    /**
     * {@code serverBusy} and {@code loadBusy}: the share of the saturated run its core worked, NaN when
     * not one core; {@code jvmBusy}: this JVM's CPU in that run as a share of one core — it shares the
     * load generator's core, and while our node runs it also holds the gateway the node follows.
     * {@code serverMicros} and {@code upstreamMicros}: the server's and Unbound's CPU in the saturated
     * run per answer dnsperf got, in microseconds — what each answer cost, whichever core set the rate.
     */
    private record Row(String server, String mix, Dnsperf.Result saturated, Dnsperf.Result fixedRate, double serverBusy,
                       double loadBusy, double jvmBusy, double serverMicros, double upstreamMicros) {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, "--entries", "--seconds", "--rate", "--jar", "--server-cpu", "--load-cpu",
                "--updates", "--update-seconds", "--node-heap", "--warmup-seconds", "--plot");
        List<Integer> sizes = Stream.of(options.text("--entries", "1000000").split(","))
                .map(size -> Integer.parseInt(size.replace("_", ""))).toList();
        int seconds = options.integer("--seconds", 15);
        int rate = options.integer("--rate", 10_000);
        boolean updates = options.integer("--updates", 1) == 1;
        int updateSeconds = options.integer("--update-seconds", 60);
        Path jar = Path.of(options.text("--jar", "../gateway/target/qaqpa.jar")).toAbsolutePath();
        String serverCpu = options.text("--server-cpu", "0");
        String loadCpu = options.text("--load-cpu", "1");
        // As the README sizes a node: 160m holds 1,000,000 names and a reload of them.
        String nodeHeap = options.text("--node-heap", "160m");
        int warmupSeconds = options.integer("--warmup-seconds", 10);
        Map<Integer, List<Row>> bySize = new LinkedHashMap<>();
        for (int i = 0; i < sizes.size(); i++) {
            int entries = sizes.get(i);
            boolean last = i == sizes.size() - 1;
            Path dir = WorkDirectory.create("qaqpa-dns-bench");
            bySize.put(entries, new DnsBenchmark(dir, entries, seconds, rate, serverCpu, loadCpu, warmupSeconds)
                    .run(jar, nodeHeap, updates && last ? updateSeconds : 0));
            WorkDirectory.delete(dir);
        }
        if (sizes.size() > 1) {
            growth(bySize, rate);
        }
        String plot = options.text("--plot", "");
        if (!plot.isEmpty()) {
            List<Plots.Series> series = new ArrayList<>();
            for (String server : List.of(DNSDIST, OURS)) {
                for (String mix : MIXES) {
                    series.add(new Plots.Series(server + ", " + mix,
                            sizes.stream().mapToDouble(Integer::doubleValue).toArray(),
                            sizes.stream().mapToDouble(size -> row(bySize.get(size), server, mix).saturated().qps()).toArray()));
                }
            }
            System.out.println("plot: " + Plots.againstSize(Path.of(plot),
                    "DNS: saturated answers per second against list size (dnsperf, pinned cores)",
                    "answers per second of sending", series));
        }
    }

    /** The side-by-side ratios at every list size, in one table. */
    private static void growth(Map<Integer, List<Row>> bySize, int rate) {
        System.out.printf("%ngrowth: ours ÷ dnsdist at each list size (saturated answers per second; p99 at %,d/s)%n", rate);
        System.out.println("| names | 10 % restricted | 100 % restricted | p99 ms ours / dnsdist, 10 % | 100 % |");
        System.out.println("|---|---|---|---|---|");
        bySize.forEach((entries, rows) -> {
            List<String> cells = new ArrayList<>();
            for (String mix : MIXES) {
                cells.add(String.format("%.2f", row(rows, OURS, mix).saturated().qps() / row(rows, DNSDIST, mix).saturated().qps()));
            }
            for (String mix : MIXES) {
                cells.add(String.format("%.2f / %.2f", Quantiles.of(row(rows, OURS, mix).fixedRate().latencies(), 0.99) / 1e6,
                        Quantiles.of(row(rows, DNSDIST, mix).fixedRate().latencies(), 0.99) / 1e6));
            }
            System.out.printf("| %,d | %s |%n", entries, String.join(" | ", cells));
        });
    }

    private static Row row(List<Row> rows, String server, String mix) {
        return rows.stream().filter(r -> r.server().equals(server) && r.mix().equals(mix)).findFirst().orElseThrow();
    }

    private final Path dir;
    private final int entries;
    private final int seconds;
    private final int rate;
    private final String serverCpu;
    private final String loadCpu;
    private final int warmupSeconds;
    private final Path mixed;
    private final Path restrictedOnly;
    private final Set<String> restrictedNames = new HashSet<>();

    private DnsBenchmark(Path dir, int entries, int seconds, int rate, String serverCpu, String loadCpu, int warmupSeconds) {
        this.dir = dir;
        this.entries = entries;
        this.seconds = seconds;
        this.rate = rate;
        this.serverCpu = serverCpu;
        this.loadCpu = loadCpu;
        this.warmupSeconds = warmupSeconds;
        this.mixed = dir.resolve("queries-10pct.txt");
        this.restrictedOnly = dir.resolve("queries-100pct.txt");
    }

    private List<Row> run(Path jar, String nodeHeap, int updateSeconds) throws Exception {
        writeQueries(new Random(42));
        int upstreamPort = Peers.freePort();
        Process upstream = Peers.upstream(dir, upstreamPort, loadCpu);
        List<Row> rows = new ArrayList<>();
        try {
            Peers.awaitAnswer(upstreamPort, "health.kz", 0, Duration.ofSeconds(10));

            // Both servers are up through both measurements, each idle while the other is measured,
            // beside the gateway the node follows (in this JVM, on the load generator's core): each
            // is measured with the same neighbours. dnsdist measured before the gateway started had
            // dnsperf's core to itself, and its p99 was about half what it is beside an idle gateway
            // (BENCHMARKS.md, DNS).
            fillDatabase();
            BenchmarkAuthority authority = BenchmarkAuthority.create(dir);
            try (BenchmarkCluster cluster = BenchmarkCluster.start(dir, authority)) {
                long start = System.nanoTime();
                BenchmarkCluster.Node node = cluster.startNode("dns-node", jar, nodeHeap, "127.0.0.1:" + upstreamPort, serverCpu);
                NodeStatus status = cluster.awaitNodes(1, entries, Duration.ofMinutes(5)).get(0);
                int port = Integer.parseInt(status.address().substring(status.address().lastIndexOf(':') + 1));
                Peers.awaitAnswer(port, SyntheticNames.allowedQuery(1), 0, Duration.ofSeconds(30));
                System.out.printf("our node (-Xmx%s) loaded %,d names from the cluster and answers in %.1f s; RSS %d MiB%n",
                        nodeHeap, entries, (System.nanoTime() - start) / 1e9, node.rssBytes() >> 20);

                int dnsdistPort = Peers.freePort();
                start = System.nanoTime();
                Process dnsdist = Peers.dnsdist(dir, dnsdistPort, upstreamPort, entries, serverCpu);
                try {
                    Peers.awaitAnswer(dnsdistPort, SyntheticNames.restrictedQuery(entries - 1), Peers.NXDOMAIN,
                            Duration.ofMinutes(5));
                    Peers.awaitAnswer(dnsdistPort, SyntheticNames.allowedQuery(1), 0, Duration.ofSeconds(30));
                    System.out.printf("dnsdist %s loaded %,d names and answers in %.1f s%n", version(), entries,
                            (System.nanoTime() - start) / 1e9);
                    rows.addAll(measure(DNSDIST, dnsdistPort, dnsdist.toHandle(), upstream.toHandle()));
                    rows.addAll(measure(OURS, port, node.process().toHandle(), upstream.toHandle()));
                } finally {
                    Peers.stop(dnsdist);
                }
                report(rows);
                if (updateSeconds > 0) {
                    updatesUnderLoad(cluster, authority, node, port, updateSeconds);
                }
            }
        } finally {
            Peers.stop(upstream);
        }
        return rows;
    }

    private List<Row> measure(String server, int port, ProcessHandle serverProcess, ProcessHandle upstream) throws Exception {
        List<Row> rows = new ArrayList<>();
        // Both servers get the same load before anything is measured: a node's JIT compiles its
        // forwarding path in the first seconds of load, on the core it answers on, and a node that
        // has been running is what an operator has (the per-second rates printed below show the
        // first seconds when this is 0).
        if (warmupSeconds > 0) {
            Dnsperf.run(mixed, port, loadCpu, warmupSeconds, 0, false, Set.of());
        }
        for (Path queries : List.of(mixed, restrictedOnly)) {
            // Which core sets the saturated rate: the server's, or the one dnsperf and the upstream share.
            Optional<CpuTicks> serverBefore = core(serverCpu);
            Optional<CpuTicks> loadBefore = core(loadCpu);
            long jvmBefore = cpuNanos(ProcessHandle.current());
            long serverCpuBefore = cpuNanos(serverProcess);
            long upstreamCpuBefore = cpuNanos(upstream);
            long started = System.nanoTime();
            Dnsperf.Result saturated = Dnsperf.run(queries, port, loadCpu, seconds, 0, false, Set.of());
            double jvmBusy = (cpuNanos(ProcessHandle.current()) - jvmBefore) / (double) (System.nanoTime() - started);
            double serverMicros = (cpuNanos(serverProcess) - serverCpuBefore) / 1e3 / saturated.completed();
            double upstreamMicros = (cpuNanos(upstream) - upstreamCpuBefore) / 1e3 / saturated.completed();
            double serverBusy = busySince(serverCpu, serverBefore);
            double loadBusy = busySince(loadCpu, loadBefore);
            Dnsperf.Result fixed = Dnsperf.run(queries, port, loadCpu, seconds, rate, true, restrictedNames);
            if (fixed.restrictedNoError() > 0) {
                throw new IllegalStateException(server + " answered NOERROR to " + fixed.restrictedNoError() + " restricted names");
            }
            rows.add(new Row(server, queries == mixed ? MIXES.get(0) : MIXES.get(1), saturated, fixed, serverBusy,
                    loadBusy, jvmBusy, serverMicros, upstreamMicros));
        }
        return rows;
    }

    /** The ticks of {@code cpus} when it names one core, as {@code taskset -c} takes it. */
    private static Optional<CpuTicks> core(String cpus) throws IOException {
        return cpus.matches("\\d+") ? Optional.of(CpuTicks.of("cpu" + cpus)) : Optional.empty();
    }

    /** The CPU time (user and system) {@code process} has used so far, in nanoseconds (from /proc on Linux). */
    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().orElseThrow().toNanos();
    }

    private static double busySince(String cpus, Optional<CpuTicks> before) throws IOException {
        return before.isPresent() ? CpuTicks.of("cpu" + cpus).busyShareSince(before.get()) : Double.NaN;
    }

    private void report(List<Row> rows) {
        System.out.printf("%n%,d names; saturated: dnsperf -c 4 -q 256 for %d s, answers per second of sending (late: answers"
                + " after dnsperf's %d s timeout, which stretch its own run time); latency: -Q %,d with every answer timed%n",
                entries, seconds, Dnsperf.TIMEOUT_SECONDS, rate);
        System.out.println("| server | queries | saturated QPS | lost / late | dnsperf's run s"
                + " | saturated: server core / load core busy (this JVM) | saturated: CPU µs per answer, server (Unbound)"
                + " | latency at " + rate + "/s: p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            List<Long> latencies = row.fixedRate().latencies();
            System.out.printf("| %s | %s | %,.0f | %d / %d | %.2f | %.0f %% / %.0f %% (%.0f %%) | %.2f (%.2f) | %.3f | %.3f | %.3f |%n",
                    row.server(), row.mix(), row.saturated().qps(), row.saturated().lost(), row.saturated().late(),
                    row.saturated().runSeconds(), 100 * row.serverBusy(), 100 * row.loadBusy(), 100 * row.jvmBusy(),
                    row.serverMicros(), row.upstreamMicros(),
                    Quantiles.of(latencies, 0.50) / 1e6, Quantiles.of(latencies, 0.99) / 1e6,
                    latencies.get(latencies.size() - 1) / 1e6);
        }
        for (String mix : MIXES) {
            Row ours = row(rows, OURS, mix);
            Row theirs = row(rows, DNSDIST, mix);
            System.out.printf("ratio ours/dnsdist, %s: %.2f (answers per CPU second on the server's core: %.2f)%n", mix,
                    ours.saturated().qps() / theirs.saturated().qps(), theirs.serverMicros() / ours.serverMicros());
        }
        // A rate that collapses for a while (answers lost in a burst hold dnsperf's slots until its
        // timeout) and one that is low throughout point at different causes.
        for (Row row : rows) {
            System.out.printf("saturated, per second, %s, %s: %s%n", row.server(), row.mix(),
                    row.saturated().perSecond().stream().map(q -> String.format("%.0f", q)).toList());
        }
    }

    private void updatesUnderLoad(BenchmarkCluster cluster, BenchmarkAuthority authority, BenchmarkCluster.Node node, int port,
                                  int updateSeconds) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (int d = 0; d < UPDATE_DIRECTIVES; d++) {
            List<String> names = new ArrayList<>();
            for (int t = 0; t < UPDATE_TARGETS; t++) {
                names.add("upd" + (d * UPDATE_TARGETS + t) + "." + SyntheticNames.TLDS[t % SyntheticNames.TLDS.length]);
            }
            bodies.add(authority.signer().sign(Documents.restrict("UPD-" + d, names, false), true));
        }
        long rssBefore = node.rssBytes();
        List<Long> rss = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                try {
                    rss.add(node.rssBytes());
                    Thread.sleep(100); // one RSS sample every 100 ms
                } catch (Exception e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        CompletableFuture<Dnsperf.Result> load = CompletableFuture.supplyAsync(() -> {
            try {
                return Dnsperf.run(mixed, port, loadCpu, updateSeconds, rate, true, restrictedNames);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(STEADY_SECONDS * 1_000L);
        long start = System.nanoTime();
        long serial = 0;
        for (byte[] body : bodies) {
            JsonObject accepted = cluster.submit(body);
            serial = accepted.getLong("blocklistSerial");
        }
        double submitted = (System.nanoTime() - start) / 1e9;
        cluster.awaitNodes(1, serial, Duration.ofMinutes(5));
        double enforced = (System.nanoTime() - start) / 1e9;
        Dnsperf.Result result = load.join();
        sampling.set(false);
        sampler.join();
        long rssAfter = node.rssBytes();
        long rssPeak = rss.stream().mapToLong(Long::longValue).max().orElse(rssAfter);
        int newlyRestricted = 0;
        for (int i = 0; i < 100; i++) {
            int k = i * (UPDATE_DIRECTIVES * UPDATE_TARGETS / 100);
            if (Peers.rcode(port, "upd" + k + "." + SyntheticNames.TLDS[k % UPDATE_TARGETS % SyntheticNames.TLDS.length])
                    == Peers.NXDOMAIN) {
                newlyRestricted++;
            }
        }
        List<Double> perSecond = result.perSecond();
        List<Double> sorted = new ArrayList<>(perSecond);
        Collections.sort(sorted);
        System.out.printf("%nupdates under load: %,d names restricted in %d directives while dnsperf sends %,d/s for %d s%n",
                UPDATE_DIRECTIVES * UPDATE_TARGETS, UPDATE_DIRECTIVES, rate, updateSeconds);
        System.out.println("| measure | value |");
        System.out.println("|---|---|");
        System.out.printf("| submitted (10 × 201) | %.1f s |%n", submitted);
        System.out.printf("| enforced by the node (from the first submission) | %.1f s |%n", enforced);
        System.out.printf("| the load covered the whole update | %s |%n", STEADY_SECONDS + enforced <= updateSeconds ? "yes"
                : "NO: raise --update-seconds");
        System.out.printf("| QPS per second: median / lowest | %,.0f / %,.0f |%n", sorted.get(sorted.size() / 2), sorted.get(0));
        // The bar's seconds: from the first submission to the node's enforcing the
        // last, as dnsperf's intervals count them (the first ends 1 s after it starts).
        int first = Math.min(STEADY_SECONDS, perSecond.size() - 1);
        int last = Math.min(perSecond.size() - 1, (int) Math.ceil(STEADY_SECONDS + enforced));
        double lowestWhileChanging = perSecond.subList(first, last + 1).stream().mapToDouble(Double::doubleValue).min()
                .orElseThrow();
        System.out.printf("| QPS per second while the changes arrive (seconds %d–%d): lowest | %,.0f (%.1f %% of %,d) |%n",
                first + 1, last + 1, lowestWhileChanging, 100 * lowestWhileChanging / rate, rate);
        System.out.printf("| answers: p50 / p99 / worst latency | %.3f / %.3f / %.1f ms |%n",
                Quantiles.of(result.latencies(), 0.5) / 1e6, Quantiles.of(result.latencies(), 0.99) / 1e6,
                result.maxLatencyMillis());
        System.out.printf("| queries lost (no answer in %d s) | %,d of %,d |%n", Dnsperf.TIMEOUT_SECONDS, result.lost(),
                result.sent());
        System.out.printf("| node RSS before / peak / after | %d / %d / %d MiB (peak %.2f× before) |%n", rssBefore >> 20,
                rssPeak >> 20, rssAfter >> 20, rssPeak / (double) rssBefore);
        System.out.printf("| answers to restricted names: NOERROR | %,d of %,d |%n", result.restrictedNoError(),
                result.restrictedAnswered());
        System.out.printf("| sample of the new names answered NXDOMAIN afterwards | %d of 100 |%n", newlyRestricted);
        System.out.println("per-second QPS: " + perSecond.stream().map(q -> String.format("%.0f", q)).toList());
    }

    /** The two query files: 10 % and 100 % restricted, the restricted ones drawn from the whole list. */
    private void writeQueries(Random random) throws Exception {
        try (BufferedWriter tenth = Files.newBufferedWriter(mixed); BufferedWriter all = Files.newBufferedWriter(restrictedOnly)) {
            for (int line = 0; line < QUERY_LINES; line++) {
                String restricted = SyntheticNames.restrictedQuery(random.nextInt(entries));
                restrictedNames.add(restricted);
                all.write(restricted + " A\n");
                tenth.write((line % 10 == 0 ? restricted : SyntheticNames.allowedQuery(random.nextInt(10 * entries))) + " A\n");
            }
        }
    }

    private void fillDatabase() throws Exception {
        long start = System.nanoTime();
        try (Database database = Database.open(DatabaseSettings.embedded(dir.resolve("data")), new SimpleMeterRegistry())) {
            SyntheticNames.fill(database.dataSource(), entries);
        }
        System.out.printf("wrote %,d names to the gateway's database in %.1f s%n", entries, (System.nanoTime() - start) / 1e9);
    }

    private static String version() {
        try {
            Process process = new ProcessBuilder("dnsdist", "--version").redirectErrorStream(true).start();
            String first = new String(process.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
            process.waitFor();
            return first.replace("dnsdist ", "");
        } catch (Exception e) {
            return "?";
        }
    }
}
