package kz.qaqpa.directives.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's password: made on first start, and given to a database from before passwords. */
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

    private static int migrationsIn(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM flyway_schema_history")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
