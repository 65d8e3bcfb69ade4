package kz.qaqpa.loadtest.register;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kz.qaqpa.loadtest.BenchmarkAuthority;
import kz.qaqpa.loadtest.BenchmarkCluster;
import kz.qaqpa.loadtest.BenchmarkDatabase;
import kz.qaqpa.loadtest.Documents;
import kz.qaqpa.loadtest.Options;
import kz.qaqpa.loadtest.SyntheticNames;

/**
 * A whole register at once (SPEC §5: 1,000,000 targets as 100 signed directives of 10,000, enforced
 * by every node within 60 s): a gateway on an empty database (H2 or PostgreSQL) and N filtering nodes in JVMs of their
 * own; every directive signed before the clock starts, then submitted one after another; the time
 * from the first submission until every node enforces the last directive's serial.
 *
 * <p>{@code mvn -q -pl loadtest exec:exec -Dbenchmark=kz.qaqpa.loadtest.register.RegisterBenchmark -Dargs="--db postgres --directives 100 --targets 10000"}
 */
public final class RegisterBenchmark {

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, "--db", "--nodes", "--directives", "--targets", "--jar");
        int nodes = options.integer("--nodes", 3);
        int directives = options.integer("--directives", 100);
        int targets = options.integer("--targets", 10_000);
        Path jar = Path.of(options.text("--jar", "../gateway/target/qaqpa.jar")).toAbsolutePath();

        Path dir = Files.createTempDirectory("qaqpa-register");
        BenchmarkAuthority authority = BenchmarkAuthority.create(dir);
        List<byte[]> bodies = new ArrayList<>();
        for (int d = 0; d < directives; d++) {
            List<String> names = new ArrayList<>(targets);
            for (int t = 0; t < targets; t++) {
                names.add(SyntheticNames.name(d * targets + t));
            }
            bodies.add(authority.signer().sign(Documents.restrict("REG-" + d, names, false), true));
        }
        try (BenchmarkDatabase database = BenchmarkDatabase.create(options.text("--db", "h2"), dir);
             BenchmarkCluster cluster = BenchmarkCluster.start(dir, authority, database.settings())) {
            for (int i = 1; i <= nodes; i++) {
                cluster.startNode("node-" + i, jar, "1g", "127.0.0.1:53", "");
            }
            cluster.awaitNodes(nodes, 0, Duration.ofSeconds(60));
            long start = System.nanoTime();
            long serial = 0;
            List<Long> each = new ArrayList<>();
            for (byte[] body : bodies) {
                long one = System.nanoTime();
                serial = cluster.submit(body).getLong("blocklistSerial");
                each.add(System.nanoTime() - one);
                if (System.getenv("QAQPA_BENCH_VERBOSE") != null) {
                    System.out.printf("directive %d: %.2f s%n", each.size(), each.get(each.size() - 1) / 1e9);
                }
            }
            double submitted = (System.nanoTime() - start) / 1e9;
            cluster.awaitNodes(nodes, serial, Duration.ofMinutes(30));
            double enforced = (System.nanoTime() - start) / 1e9;
            each.sort(null);
            System.out.printf("%,d targets as %d directives of %,d, %d nodes, %s%n", (long) directives * targets, directives,
                    targets, nodes, database.label());
            System.out.println("| submitted (all 201) s | per directive: median / max s | enforced by every node s | targets/s | bar 60 s |");
            System.out.println("|---|---|---|---|---|");
            System.out.printf("| %.1f | %.2f / %.2f | %.1f | %,.0f | %s |%n", submitted, each.get(each.size() / 2) / 1e9,
                    each.get(each.size() - 1) / 1e9, enforced, directives * (double) targets / enforced,
                    enforced <= 60 ? "met" : "not met");
        }
    }
}
