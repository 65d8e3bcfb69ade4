package kz.qaqpa.directives.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import kz.qaqpa.directives.signature.SignerIdentity;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class AuditLogContract {

    ThrowAwayDatabase throwAway;
    Database database;
    private final AuditLog log = new AuditLog(Clock.systemUTC());

    abstract ThrowAwayDatabase newDatabase();

    @BeforeEach
    void open() {
        throwAway = newDatabase();
        database = Database.open(throwAway.settings(), new SimpleMeterRegistry());
    }

    @AfterEach
    void close() throws Exception {
        database.close();
        throwAway.close();
    }

    @Test
    void emptyLogIsIntact() throws SQLException {
        assertThat(AuditLog.verify(database.dataSource())).satisfies(result -> {
            assertThat(result.intact()).isTrue();
            assertThat(result.records()).isZero();
        });
    }

    @Test
    void appendedRecordsFormAnIntactChain() throws SQLException {
        append(3);

        AuditVerification result = AuditLog.verify(database.dataSource());

        assertThat(result.intact()).as(result.reason()).isTrue();
        assertThat(result.records()).isEqualTo(3);
    }

    @Test
    void appendRolledBackWithItsTransactionLeavesNoTrace() throws SQLException {
        append(1);
        try {
            database.inTransaction(connection -> {
                appendOne(connection, "rolled back");
                throw new IllegalStateException("the change it describes failed");
            });
        } catch (IllegalStateException expected) {
            // The record must go with the change.
        }
        append(1);

        AuditVerification result = AuditLog.verify(database.dataSource());
        assertThat(result.intact()).as(result.reason()).isTrue();
        assertThat(result.records()).isEqualTo(2);
    }

    void append(int records) {
        for (int i = 0; i < records; i++) {
            String details = "record " + i;
            database.inTransaction(connection -> appendOne(connection, details));
        }
    }

    private Long appendOne(Connection connection, String details) {
        try {
            return log.append(connection, new AuditEntry("DIRECTIVE_ACCEPTED", Optional.of(1L),
                    Optional.of(new SignerIdentity("CN=signer", "CN=ca", "1f", "ab".repeat(32))),
                    Optional.of(Instant.now()), Optional.of("cd".repeat(32)), "test", details));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    int execute(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }
}
