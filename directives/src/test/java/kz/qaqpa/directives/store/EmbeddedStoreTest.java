package kz.qaqpa.directives.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's password, made on first start and given to a database from before passwords;
 * and its file, which stays near the size of what it holds however much is written.
 */
class EmbeddedStoreTest {

    @TempDir
    Path dir;

    @Test
    void aDatabaseMadeWithoutAPasswordGetsOneOnFirstOpenAndTheEmptyOneNoLongerWorks() throws Exception {
        Path data = dir.resolve("data");
        DatabaseSettings settings = DatabaseSettings.embedded(data);
        // As an earlier version left it: migrated, user sa with an empty password, anyone's to open.
        int migrations;
        try (Database earlier = Database.open(new DatabaseSettings(settings.url(), "sa", ""), new SimpleMeterRegistry())) {
            migrations = migrationsIn(earlier);
        }
        assertThat(migrations).isPositive();

        try (Database database = Database.open(settings, new SimpleMeterRegistry())) {
            assertThat(migrationsIn(database)).as("the same database, kept").isEqualTo(migrations);
        }

        Path password = data.resolve("db-password");
        assertThat(Files.getPosixFilePermissions(password)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> DriverManager.getConnection(settings.url(), "sa", "").close())
                .isInstanceOf(SQLException.class);
        try (Connection withPassword = DriverManager.getConnection(settings.url(), "sa", Files.readString(password).strip())) {
            assertThat(withPassword.isValid(1)).isTrue();
        }
    }

    @Test
    void theFileStaysWithinTwiceTheSizeOfItsDataWhileRowsUnderRandomKeysArrive() throws Exception {
        // What the intake does to the file: rows under hashed keys, a hundred a transaction. H2
        // writes a changed page anew and reuses a part of the file only when all of it has been
        // replaced; the rows stay, the index pages beside them are replaced again and again.
        Path data = dir.resolve("data");
        DatabaseSettings settings = DatabaseSettings.embedded(data);
        Path file = data.resolve("qaqpa.mv.db");
        long inUse;
        try (Database database = Database.open(settings, new SimpleMeterRegistry())) {
            execute(database, "SET RETENTION_TIME 0"); // replaced pages are free at once, as 45 s later
            execute(database, "CREATE TABLE arrivals (k CHAR(64) PRIMARY KEY, v VARCHAR(64) NOT NULL)");
            Random random = new Random(7);
            for (int round = 0; round < 300; round++) {
                database.inTransaction(connection -> {
                    insert(connection, random, 100);
                    return null;
                });
            }
            inUse = Files.size(file);
        }
        // The same data, compacted whole.
        try (Connection connection = DriverManager.getConnection(settings.url(), "sa",
                Files.readString(data.resolve("db-password")).strip());
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN COMPACT");
        }
        long compacted = Files.size(file);

        assertThat(inUse).as("bytes on disk while in use, against %d compacted", compacted)
                .isLessThanOrEqualTo(2 * compacted);
    }

    private static void execute(Database database, String sql) {
        database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    private static void insert(Connection connection, Random random, int rows) {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO arrivals (k, v) VALUES (?, ?)")) {
            for (int row = 0; row < rows; row++) {
                insert.setString(1, HexFormat.of().formatHex(bytes(random, 32)));
                insert.setString(2, HexFormat.of().formatHex(bytes(random, 32)));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static int migrationsIn(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM flyway_schema_history")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
