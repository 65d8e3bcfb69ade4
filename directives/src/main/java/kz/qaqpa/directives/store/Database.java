package kz.qaqpa.directives.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relational database, opened, migrated and ready for repositories.
 *
 * <p>Opening is one step on purpose: a pool (HikariCP, with Micrometer metrics), then Flyway brings
 * the schema to the latest migration, then a Micronaut bean context is started with that pool as its
 * only data source so that Micronaut Data JDBC repositories can be looked up. Micronaut serves the
 * data layer only; nothing else of the application lives in its context. Calls on repositories
 * block: callers on an event loop must move them to a worker.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String DATA_SOURCE_NAME = "default";

    private final DatabaseSettings settings;
    private final HikariDataSource pool;
    private final ApplicationContext beans;
    private final TransactionOperations<Connection> transactions;

    @SuppressWarnings("unchecked")
    private Database(DatabaseSettings settings, HikariDataSource pool, ApplicationContext beans) {
        this.settings = settings;
        this.pool = pool;
        this.beans = beans;
        this.transactions = beans.getBean(TransactionOperations.class);
    }

    /**
     * Opens the database, migrating its schema to the latest version.
     *
     * @throws DatabaseUnavailableException when it cannot be reached, opened or migrated
     */
    public static Database open(DatabaseSettings given, MeterRegistry metrics) {
        DatabaseSettings settings = given.embeddedDir().isPresent() ? EmbeddedStore.prepare(given) : given;
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(settings, metrics));
        } catch (RuntimeException e) {
            throw new DatabaseUnavailableException(
                    "cannot open database " + settings.displayUrl() + ": " + rootMessage(e), e);
        }
        try {
            String[] locations = settings.isEmbedded()
                    ? new String[] {"classpath:db/migration", "classpath:db/h2"}
                    : new String[] {"classpath:db/migration", "classpath:db/postgresql"};
            // Flyway holds one connection for its lock and takes another for the migration: its
            // own, outside the pool, which for the embedded database has one (see poolConfig).
            MigrateResult migrated = Flyway.configure()
                    .dataSource(settings.url(), settings.user(), settings.password())
                    .locations(locations)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            LOG.info("Database {} at schema version {} ({} migration(s) applied)",
                    settings.displayUrl(), migrated.targetSchemaVersion != null
                            ? migrated.targetSchemaVersion : migrated.initialSchemaVersion,
                    migrated.migrationsExecuted);
            ApplicationContext beans = ApplicationContext.builder()
                    .deduceEnvironment(false)
                    .banner(false)
                    // Binds Micronaut Data's per-data-source configuration; no pool module is on
                    // the class path, so this creates no second pool.
                    .properties(Map.of("datasources." + DATA_SOURCE_NAME + ".dialect", "POSTGRES"))
                    .build();
            beans.registerSingleton(DataSource.class, pool, Qualifiers.byName(DATA_SOURCE_NAME));
            beans.start();
            return new Database(settings, pool, beans);
        } catch (RuntimeException e) {
            pool.close();
            throw new DatabaseUnavailableException(
                    "cannot migrate database " + settings.displayUrl() + ": " + rootMessage(e), e);
        }
    }

    private static HikariConfig poolConfig(DatabaseSettings settings, MeterRegistry metrics) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("qaqpa");
        config.setJdbcUrl(settings.url());
        if (!settings.user().isEmpty()) {
            config.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        // The embedded database gets one connection, so its transactions run one at a time. H2's
        // MVStore writes each table's map to the file separately, not as one atomic snapshot of them
        // all (h2database#2080): a store taken while another transaction is committing can keep that
        // transaction's rows in one table and lose them in another, and a SIGKILL then leaves, say, a
        // change at serial n + 1 without the change at n or the head that gave it (CrashIT found
        // exactly that). With one connection every store — at commit and at CHECKPOINT SYNC — sees
        // no transaction in the middle of its writes. PostgreSQL logs every table in one WAL and
        // keeps its pool.
        config.setMaximumPoolSize(settings.isEmbedded() ? 1 : 16);
        // A readiness probe must answer while the database is down, so waiting for a connection
        // is bounded well below the probe timeouts an orchestrator uses.
        config.setConnectionTimeout(Duration.ofSeconds(3).toMillis());
        config.setValidationTimeout(Duration.ofSeconds(1).toMillis());
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        return config;
    }

    /** A repository of the data layer, such as {@code DirectiveRepository}. */
    public <T> T repository(Class<T> type) {
        return beans.getBean(type);
    }

    /**
     * Runs {@code work} in one read-write transaction: committed when it returns, rolled back when
     * it throws. Repository calls inside take part in it; plain JDBC gets its connection. When it
     * returns, the transaction is on the disk: PostgreSQL flushes its WAL at commit, and the
     * embedded database is forced to the disk here (fsync), so what a client is answered for
     * survives a crash on either.
     */
    public <T> T inTransaction(Function<Connection, T> work) {
        T result = transactions.executeWrite(status -> work.apply(status.getConnection()));
        if (settings.embeddedDir().isPresent()) {
            try (Connection connection = pool.getConnection()) {
                EmbeddedStore.forceToDisk(connection);
            } catch (SQLException e) {
                throw new DatabaseUnavailableException("cannot force the embedded database to the disk: " + e.getMessage(), e);
            }
        }
        return result;
    }

    /** The pool, for code that speaks plain JDBC (migrations, bulk export). */
    public DataSource dataSource() {
        return pool;
    }

    /** Whether a connection can be had and answers now. Blocks for at most a few seconds. */
    public boolean isReachable() {
        if (pool.isClosed()) {
            return false;
        }
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            LOG.debug("Database {} is not reachable: {}", settings.displayUrl(), e.getMessage());
            return false;
        }
    }

    /** Stops the bean context and closes the pool; waits for borrowed connections to be returned. */
    @Override
    public void close() {
        try {
            beans.close();
        } finally {
            pool.close();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
