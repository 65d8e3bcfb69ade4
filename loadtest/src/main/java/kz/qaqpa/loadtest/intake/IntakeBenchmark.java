package kz.qaqpa.loadtest.intake;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.loadtest.BenchmarkAuthority;
import kz.qaqpa.loadtest.BenchmarkDatabase;
import kz.qaqpa.loadtest.CpuTicks;
import kz.qaqpa.loadtest.Options;
import kz.qaqpa.loadtest.WorkDirectory;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.TrustFiles;

/**
 * Signed single-target directives per second, end to end: HTTP request in, directive, target and
 * audit record committed, 201 out. Runs a gateway in this JVM on H2 or on a throw-away PostgreSQL
 * database, signs every directive before the clock starts (signing is the authority's cost, not
 * ours), then sends them from {@code --concurrency} clients and reports throughput and latency.
 *
 * <pre>
 * mvn -q -pl loadtest -am install -DskipTests
 * mvn -q -pl loadtest exec:exec -Dargs="--db h2 --directives 5000 --concurrency 16"
 * mvn -q -pl loadtest exec:exec -Dargs="--db postgres --directives 5000 --concurrency 16"
 * mvn -q -pl loadtest exec:exec -Dargs="--db postgres --directives 5000 --concurrency 16 --synchronous-commit off"
 * </pre>
 *
 * {@code --warmup N} sends N directives first, not counted (1,000 unless told).
 * {@code --synchronous-commit off} sets that PostgreSQL setting on the throw-away database only: an
 * experiment that shows whether waiting for the WAL flush limits the run — never a way to run Qaqpa.
 *
 * The client shares the machine (and, here, the JVM) with the gateway, so the figures are a lower
 * bound of what the gateway alone does.
 */
public final class IntakeBenchmark {

    public static void main(String[] arguments) throws Exception {
        Options options = Options.parse(arguments, "--db", "--directives", "--concurrency", "--warmup", "--synchronous-commit");
        String db = options.text("--db", "h2");
        int count = options.integer("--directives", 5000);
        int concurrency = options.integer("--concurrency", 16);
        // Not counted: the gateway's code is still being compiled for a while (with 1,000, the JIT
        // takes half a core for most of the run; BENCHMARKS.md, the intake).
        int warmup = options.integer("--warmup", Math.min(1_000, count / 5));
        String synchronousCommit = options.text("--synchronous-commit", "on");

        Path dir = WorkDirectory.create("qaqpa-intake-bench");
        BenchmarkDatabase benchmarkDatabase = BenchmarkDatabase.create(db, dir, synchronousCommit.equals("on")
                ? new String[0] : new String[] {"ALTER DATABASE {db} SET synchronous_commit = off"});
        DatabaseSettings database = benchmarkDatabase.settings();
        BenchmarkAuthority signer = BenchmarkAuthority.create(dir);
        GatewayConfig config = GatewayConfig.onLoopback(dir.resolve("data"), database,
                        new ClusterSettings("bench-" + UUID.randomUUID(), "127.0.0.1", 0, List.of()))
                .withShutdownGrace(Duration.ofSeconds(5))
                .withTrust(new TrustFiles(List.of(signer.ca()), List.of(signer.certificate()), List.of()));

        System.out.printf("signing %d directives…%n", warmup + count);
        List<byte[]> bodies = new ArrayList<>(warmup + count);
        for (int i = 0; i < warmup + count; i++) {
            bodies.add(signer.signer().sign(directive(i), true));
        }

        try (Gateway gateway = Gateway.start(config)) {
            URI endpoint = URI.create("http://127.0.0.1:" + gateway.httpPort() + "/api/v1/directives");
            HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(concurrency)).build();
            run(client, endpoint, bodies.subList(0, warmup), concurrency);
            Duration jvmBefore = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
            long machineBefore = CpuTicks.of("cpu").busy();
            Result result = run(client, endpoint, bodies.subList(warmup, warmup + count), concurrency);
            double jvmMillis = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO)
                    .minus(jvmBefore).toNanos() / 1e6 / count;
            double machineMillis = (CpuTicks.of("cpu").busy() - machineBefore) * 1000 / CpuTicks.PER_SECOND / count;
            System.out.println();
            System.out.printf("| database | directives | concurrency | seconds | directives/s | p50 ms | p99 ms | max ms | errors |%n");
            System.out.printf("|---|---|---|---|---|---|---|---|---|%n");
            System.out.printf("| %s | %d | %d | %.2f | %.0f | %.1f | %.1f | %.1f | %d |%n",
                    db + (synchronousCommit.equals("on") ? "" : " (synchronous_commit off)"), count, concurrency,
                    result.seconds, count / result.seconds, result.percentile(50), result.percentile(99),
                    result.percentile(100), result.errors);
            // What one directive costs in CPU bounds what these cores can take, whatever the concurrency.
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf("CPU per directive: %.2f ms in this JVM (gateway and clients), %.2f ms on the whole machine"
                    + " (PostgreSQL included): at most %.0f directives/s on %d cores%n", jvmMillis, machineMillis,
                    cores * 1000 / machineMillis, cores);
            System.out.printf("machine: %d cores, %d MiB max heap, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        } finally {
            benchmarkDatabase.close();
        }
        WorkDirectory.delete(dir);
        System.exit(0);
    }

    private record Result(double seconds, long[] latenciesNanos, int errors) {
        double percentile(int p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int index = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
            return sorted[Math.max(index, 0)] / 1e6;
        }
    }

    private static Result run(HttpClient client, URI endpoint, List<byte[]> bodies, int concurrency) throws Exception {
        ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>(bodies);
        long[] latencies = new long[bodies.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong firstError = new AtomicLong();
        CountDownLatch done = new CountDownLatch(concurrency);
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            workers.execute(() -> {
                try {
                    for (byte[] body = queue.poll(); body != null; body = queue.poll()) {
                        long sent = System.nanoTime();
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(endpoint)
                                .header("Content-Type", "application/pkcs7-mime")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        latencies[next.getAndIncrement()] = System.nanoTime() - sent;
                        if (response.statusCode() != 201 && errors.incrementAndGet() == 1) {
                            firstError.set(response.statusCode());
                            System.err.println("first error: " + response.statusCode() + " " + response.body());
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    errors.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await(30, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        workers.shutdown();
        return new Result(seconds, Arrays.copyOf(latencies, next.get()), errors.get());
    }

    private static byte[] directive(int i) {
        return ("""
                {"schema":"qaqpa.directive/v1","number":"BENCH-%d","issuedAt":"2026-11-20T10:00:00+05:00",
                 "authority":{"name":"Benchmark authority","bin":"990740000029"},"action":"RESTRICT",
                 "legalBasis":"benchmark","targets":[{"type":"DOMAIN","value":"site-%d.bench.kz","includeSubdomains":true}],
                 "recipients":"ALL"}""").formatted(i, i).getBytes(StandardCharsets.UTF_8);
    }
}
