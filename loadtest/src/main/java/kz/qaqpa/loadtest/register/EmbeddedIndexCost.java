package kz.qaqpa.loadtest.register;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import kz.qaqpa.directives.store.DatabaseSettings;
import kz.qaqpa.loadtest.Options;
import kz.qaqpa.loadtest.WorkDirectory;

/**
 * What the embedded store (H2, opened as the gateway opens it) pays for an index on a hashed key,
 * apart from everything else a register does: N commits of M rows into two tables shaped like the
 * directive's targets and the set's entries — a surrogate id, the directive and position, the key
 * hash, the value — with no index on the key hash, with one (the set's), with both as the product has
 * them (64 hex characters), and with both as the first 8 bytes of the hash in a {@code BIGINT}.
 *
 * <p>A SHA-256 is a random key: each commit's rows land on leaves all over an index that grows by M
 * rows a commit, and H2's copy-on-write B-tree copies and writes out every leaf it touches. Printed:
 * each variant's time, its last commit's, the file it leaves, and its time over that of no index
 * (after a warm-up of 5 commits, not counted).
 *
 * <p>{@code mvn -q -pl loadtest exec:exec -Dbenchmark=kz.qaqpa.loadtest.register.EmbeddedIndexCost -Dargs="--commits 100 --rows 10000"}
 */
public final class EmbeddedIndexCost {

    private enum Variant {
        NONE("no index on the key hash", false, false, "CHAR(64)"),
        ENTRIES("the set's entries keyed by it", false, true, "CHAR(64)"),
        BOTH("both, as the product (CHAR(64))", true, true, "CHAR(64)"),
        BOTH_BIGINT("both, its first 8 bytes (BIGINT)", true, true, "BIGINT");

        final String label;
        final boolean targetsIndexed;
        final boolean entriesKeyed;
        final String keyType;

        Variant(String label, boolean targetsIndexed, boolean entriesKeyed, String keyType) {
            this.label = label;
            this.targetsIndexed = targetsIndexed;
            this.entriesKeyed = entriesKeyed;
            this.keyType = keyType;
        }
    }

    private record Result(Variant variant, double seconds, double lastCommitSeconds, long fileBytes) {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, "--commits", "--rows");
        int commits = options.integer("--commits", 100);
        int rows = options.integer("--rows", 10_000);
        System.out.printf("%,d rows in %d commits of %,d, into the embedded store as the gateway opens it%n",
                (long) commits * rows, commits, rows);
        run(Variant.NONE, 5, rows); // warm-up: the JIT, not H2, would otherwise weigh on the first variant
        List<Result> results = Stream.of(Variant.values()).map(v -> run(v, commits, rows)).toList();
        double none = results.get(0).seconds();
        System.out.println("| hashed-key index | s | last commit s | file MB | × no index |");
        System.out.println("|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf("| %s | %.1f | %.2f | %,d | %.2f |%n", r.variant().label, r.seconds(),
                    r.lastCommitSeconds(), r.fileBytes() >> 20, r.seconds() / none);
        }
    }

    private static Result run(Variant variant, int commits, int rows) {
        try {
            Path dir = WorkDirectory.create("qaqpa-embedded-index");
            DatabaseSettings settings = DatabaseSettings.embedded(dir);
            double seconds;
            double last = 0;
            try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password())) {
                create(c, variant);
                c.setAutoCommit(false);
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                HexFormat hex = HexFormat.of();
                try (PreparedStatement targets = c.prepareStatement(
                        "INSERT INTO target (directive_id, position, key_hash, target_value) VALUES (?, ?, ?, ?)");
                     PreparedStatement entries = c.prepareStatement(
                             "INSERT INTO entry (key_hash, target_value, directive_id) VALUES (?, ?, ?)")) {
                    long start = System.nanoTime();
                    for (int commit = 0; commit < commits; commit++) {
                        long commitStart = System.nanoTime();
                        for (int position = 0; position < rows; position++) {
                            String value = "site" + ((long) commit * rows + position) + ".example.kz/a/path";
                            byte[] hash = sha256.digest(value.getBytes(StandardCharsets.UTF_8));
                            Object key = variant.keyType.equals("BIGINT") ? ByteBuffer.wrap(hash).getLong()
                                    : hex.formatHex(hash);
                            targets.setLong(1, commit);
                            targets.setInt(2, position);
                            targets.setObject(3, key);
                            targets.setString(4, value);
                            targets.addBatch();
                            entries.setObject(1, key);
                            entries.setString(2, value);
                            entries.setLong(3, commit);
                            entries.addBatch();
                        }
                        targets.executeBatch();
                        entries.executeBatch();
                        c.commit();
                        last = (System.nanoTime() - commitStart) / 1e9;
                    }
                    seconds = (System.nanoTime() - start) / 1e9;
                }
            }
            long bytes;
            try (Stream<Path> files = Files.list(dir)) {
                bytes = files.mapToLong(f -> f.toFile().length()).sum();
            }
            WorkDirectory.delete(dir);
            System.out.printf("%s: %.1f s%n", variant.label, seconds);
            return new Result(variant, seconds, last, bytes);
        } catch (Exception e) {
            throw new IllegalStateException(variant.label + ": " + e.getMessage(), e);
        }
    }

    private static void create(Connection c, Variant variant) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE target (
                        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                        directive_id BIGINT NOT NULL, position INTEGER NOT NULL, key_hash %s NOT NULL,
                        target_value VARCHAR(8192) NOT NULL,
                        CONSTRAINT target_position_once UNIQUE (directive_id, position))""".formatted(variant.keyType));
            if (variant.targetsIndexed) {
                s.execute("CREATE INDEX target_by_key ON target (key_hash)");
            }
            s.execute("CREATE TABLE entry (key_hash %s %s, target_value VARCHAR(8192) NOT NULL, directive_id BIGINT NOT NULL)"
                    .formatted(variant.keyType, variant.entriesKeyed ? "PRIMARY KEY" : "NOT NULL"));
        }
    }

    private EmbeddedIndexCost() {
    }
}
