package kz.qaqpa.loadtest.verify;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.BlocklistLines;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.blocklist.model.TargetKind;
import kz.qaqpa.blocklist.model.log.SetHash;
import kz.qaqpa.loadtest.Options;
import kz.qaqpa.loadtest.SyntheticNames;

/**
 * What checking a whole snapshot against a signed head costs a filtering node: the {@link SetHash}
 * of N entries (each target under its directive), the computation a node makes before it adopts a
 * snapshot. Side by side, in the same run, what checking the same list as one signed dump costs —
 * SHA-256 of its canonical file, by {@code openssl dgst} and in this JVM — which is what a register
 * that signs whole dumps asks of its readers (and which, unlike the set hash, cannot be moved by
 * one change in constant time). Best of three runs each; the list is in memory for the set hash
 * and on disk (page cache) for the digests.
 *
 * <p>{@code mvn -q -pl loadtest exec:exec -Dbenchmark=kz.qaqpa.loadtest.verify.SnapshotVerifyBenchmark -Dargs="--entries 1000000"}
 */
public final class SnapshotVerifyBenchmark {

    private static final int RUNS = 3;

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, "--entries");
        int count = options.integer("--entries", 1_000_000);
        List<BlocklistEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new BlocklistEntry(TargetKind.DOMAIN, SyntheticNames.name(i), SyntheticNames.withSubdomains(i),
                    Optional.empty(), "D-" + (i % 1_000), i + 1));
        }
        Path file = Files.createTempFile("qaqpa-snapshot", ".jsonl");
        try {
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (BlocklistEntry entry : entries) {
                    out.write(BlocklistLines.line(entry));
                    out.write('\n');
                }
            }
            System.out.printf("%,d entries, canonical file %.1f MiB, %d cores, Java %s%n", count,
                    Files.size(file) / 1048576.0, Runtime.getRuntime().availableProcessors(), Runtime.version());
            double openssl = best(() -> openssl(file));
            double jvmDigest = best(() -> jvmSha256(file));
            double setHash = best(() -> {
                SetHash set = SetHash.empty();
                for (BlocklistEntry entry : entries) {
                    set.add(entry.key(), entry.directive());
                }
                return set.digest();
            });
            System.out.println("| check of the whole list | seconds (best of " + RUNS + ") | per entry | × openssl dgst |");
            System.out.println("|---|---|---|---|");
            row("node: set hash (LtHash16) of the entries", setHash, count, openssl);
            row("peer: `openssl dgst -sha256` of the canonical file", openssl, count, openssl);
            row("peer: SHA-256 of the canonical file in the JVM", jvmDigest, count, openssl);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void row(String what, double seconds, int count, double peer) {
        System.out.printf("| %s | %.2f | %.2f µs | %.2f |%n", what, seconds, seconds * 1e6 / count, seconds / peer);
    }

    private static double best(Callable<String> check) throws Exception {
        double best = Double.MAX_VALUE;
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            String digest = check.call();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
            if (digest.isEmpty()) {
                throw new IllegalStateException("no digest");
            }
        }
        return best;
    }

    private static String openssl(Path file) throws Exception {
        Process process = new ProcessBuilder("openssl", "dgst", "-sha256", file.toString()).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(printed);
        }
        return printed;
    }

    private static String jvmSha256(Path file) throws Exception {
        MessageDigest digest = Sha256.digest();
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
        }
        return Sha256.hex(digest);
    }
}
