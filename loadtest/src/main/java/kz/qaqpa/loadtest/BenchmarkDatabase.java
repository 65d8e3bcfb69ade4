package kz.qaqpa.loadtest;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import kz.qaqpa.directives.store.DatabaseSettings;

/**
 * The database a benchmark's gateway runs on: the embedded H2 in {@code dir/data}, or a throw-away
 * database in the local PostgreSQL (127.0.0.1:5432, user postgres), dropped on close.
 */
public final class BenchmarkDatabase implements AutoCloseable {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private final DatabaseSettings settings;
    private final Optional<String> postgresName;

    private BenchmarkDatabase(DatabaseSettings settings, Optional<String> postgresName) {
        this.settings = settings;
        this.postgresName = postgresName;
    }

    /** {@code kind} "h2" or "postgres"; {@code statements} run on a new PostgreSQL database, e.g. its settings. */
    public static BenchmarkDatabase create(String kind, Path dir, String... statements) throws Exception {
        return switch (kind) {
            case "h2" -> new BenchmarkDatabase(DatabaseSettings.embedded(dir.resolve("data")), Optional.empty());
            case "postgres" -> {
                String name = "qaqpa_bench_" + UUID.randomUUID().toString().replace("-", "");
                execute("CREATE DATABASE " + name);
                for (String statement : statements) {
                    execute(statement.replace("{db}", name));
                }
                yield new BenchmarkDatabase(new DatabaseSettings(POSTGRES.replace("/postgres?", "/" + name + "?"), "", ""),
                        Optional.of(name));
            }
            default -> throw new IllegalArgumentException("--db is h2 or postgres, not " + kind);
        };
    }

    public DatabaseSettings settings() {
        return settings;
    }

    public String label() {
        return postgresName.isPresent() ? "PostgreSQL" : "H2";
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(POSTGRES); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        if (postgresName.isPresent()) {
            execute("DROP DATABASE IF EXISTS " + postgresName.get() + " WITH (FORCE)");
        }
    }
}
