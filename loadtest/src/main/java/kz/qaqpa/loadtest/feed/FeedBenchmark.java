package kz.qaqpa.loadtest.feed;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.PolicyZoneApex;
import kz.qaqpa.blocklist.model.TargetKind;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.directives.directive.StoredTarget;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.gateway.config.FeedSettings;
import kz.qaqpa.gateway.pull.SnapshotStore.Snapshot;
import kz.qaqpa.gateway.pull.SnapshotStore;
import kz.qaqpa.gateway.pull.ZoneTransfers;
import kz.qaqpa.loadtest.Options;
import kz.qaqpa.loadtest.SyntheticNames;
import kz.qaqpa.loadtest.WorkDirectory;
import kz.qaqpa.pull.FeedFormat;

/**
 * The operators' feed at scale: the snapshot of a list of N entries made from the database and
 * rendered in each format (time, file size, peak heap in use), then IXFR after C more changes and
 * AXFR of the whole zone, taken by dig (time, records, bytes).
 *
 * <p>{@code mvn -q -pl loadtest exec:exec -Dbenchmark=kz.qaqpa.loadtest.feed.FeedBenchmark -Dargs="--entries 1000000 --changes 1000"}
 */
public final class FeedBenchmark {

    private static final Pattern XFR = Pattern.compile("XFR size: (\\d+) records \\(messages (\\d+), bytes (\\d+)\\)");

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, "--entries", "--changes");
        int entries = options.integer("--entries", 1_000_000);
        int changes = options.integer("--changes", 1_000);
        Path dir = WorkDirectory.create("qaqpa-feed-bench");
        try (Database database = Database.open(DatabaseSettings.embedded(dir), new SimpleMeterRegistry())) {
            long start = System.nanoTime();
            SyntheticNames.fill(database.dataSource(), entries);
            long directive = SyntheticNames.directiveId(database.dataSource());
            System.out.printf("filled %,d entries in %.1f s%n", entries, (System.nanoTime() - start) / 1e9);

            SnapshotStore store = new SnapshotStore(database.dataSource(), dir.resolve("snapshots"), FeedSettings.DEFAULT_RPZ_ORIGIN);
            System.out.println("| step | seconds | file MiB | peak heap MiB |");
            System.out.println("|---|---|---|---|");
            Snapshot snapshot = measure("snapshot from the database (jsonl)", store::current, s -> s.canonical().file());
            for (FeedFormat format : FeedFormat.values()) {
                if (format != FeedFormat.JSONL) {
                    measure("render " + format.formatName(), () -> store.rendered(snapshot, format), path -> path);
                }
            }

            long before = snapshot.serial();
            appendChanges(database, directive, entries, changes);
            measure("snapshot after " + changes + " changes (replayed)", store::current, s -> s.canonical().file());
            try (ZoneTransfers transfers = ZoneTransfers.start(FeedSettings.onAnyPort(), store, database.dataSource())) {
                dig(transfers.port(), "IXFR=" + before, dir, "IXFR after " + changes + " changes");
                dig(transfers.port(), "AXFR", dir, "AXFR of the whole zone");
            }
        }
        WorkDirectory.delete(dir);
    }

    private static void appendChanges(Database database, long directive, int entries, int changes) {
        List<StoredTarget> targets = new ArrayList<>();
        for (int i = 0; i < changes; i++) {
            String name = "new" + (entries + i) + ".kz";
            String key = BlocklistKey.domain(name, false);
            targets.add(new StoredTarget(null, directive, i, TargetKind.DOMAIN, key, BlocklistKey.sha256(key), name, false,
                    null, name, null));
        }
        database.inTransaction(connection -> {
            try {
                return ChangeLog.append(connection, ChangeLog.lockHead(connection), Operation.ADD, targets,
                        directive, Instant.now());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static <T> T measure(String step, Callable<T> work, java.util.function.Function<T, Path> file) throws Exception {
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        T result = work.call();
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        System.out.printf("| %s | %.2f | %.1f | %d |%n", step, seconds, Files.size(file.apply(result)) / 1048576.0, peak >> 20);
        return result;
    }

    private static void dig(int port, String type, Path dir, String step) throws Exception {
        Path out = dir.resolve("dig.txt");
        long start = System.nanoTime();
        Process dig = new ProcessBuilder("dig", "@127.0.0.1", "-p", String.valueOf(port), PolicyZoneApex.DEFAULT_ORIGIN, type, "+tries=1",
                "+time=60").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        dig.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        Matcher size = XFR.matcher(Files.readString(out));
        System.out.printf("| %s (dig) | %.2f | records %s, messages %s, bytes %s | |%n", step, seconds,
                size.find() ? size.group(1) : "?", size.find(0) ? size.group(2) : "?", size.find(0) ? size.group(3) : "?");
        Files.delete(out);
    }
}
