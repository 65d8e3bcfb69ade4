package kz.qaqpa.directives.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/**
 * A database that exists for one test class: a private in-memory H2 database, or a private schema
 * in the PostgreSQL named by {@code QAQPA_TEST_PG_URL} that is dropped again on close.
 */
public final class ThrowAwayDatabase implements AutoCloseable {

    /** The environment variable that names a PostgreSQL server for the tests. */
    public static final String PG_URL_VARIABLE = "QAQPA_TEST_PG_URL";

    /** What a skipped PostgreSQL test says: how to enable it. */
    public static final String PG_SKIP_REASON = "PostgreSQL tests skipped: set " + PG_URL_VARIABLE
            + "=jdbc:postgresql://127.0.0.1:5432/DATABASE?user=postgres to run them (.ci/run does)";

    private final DatabaseSettings settings;
    private final Optional<String> postgresSchema;

    private ThrowAwayDatabase(DatabaseSettings settings, Optional<String> postgresSchema) {
        this.settings = settings;
        this.postgresSchema = postgresSchema;
    }

    public static ThrowAwayDatabase h2() {
        String name = "qaqpa-test-" + UUID.randomUUID();
        return new ThrowAwayDatabase(new DatabaseSettings(
                "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" + DatabaseSettings.H2_POSTGRES_MODE, "sa", ""),
                Optional.empty());
    }

    /** A fresh schema in the test PostgreSQL; fails when {@link #PG_URL_VARIABLE} is not set. */
    public static ThrowAwayDatabase postgres() {
        String serverUrl = System.getenv(PG_URL_VARIABLE);
        if (serverUrl == null || serverUrl.isBlank()) {
            throw new IllegalStateException(PG_SKIP_REASON);
        }
        String schema = "qaqpa_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(serverUrl);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema in " + serverUrl, e);
        }
        String separator = serverUrl.contains("?") ? "&" : "?";
        return new ThrowAwayDatabase(
                new DatabaseSettings(serverUrl + separator + "currentSchema=" + schema, "", ""),
                Optional.of(schema));
    }

    public DatabaseSettings settings() {
        return settings;
    }

    @Override
    public void close() throws SQLException {
        if (postgresSchema.isPresent()) {
            try (Connection connection = DriverManager.getConnection(System.getenv(PG_URL_VARIABLE));
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA " + postgresSchema.get() + " CASCADE");
            }
        } else {
            try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
                 Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
        }
    }
}
