package kz.qaqpa.directives.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import kz.qaqpa.directives.store.RequiresPostgres;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.Test;

@RequiresPostgres
class AuditLogPostgresTest extends AuditLogContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.postgres();
    }

    @Test
    void postgresRefusesToChangeOrRemoveRecords() throws SQLException {
        append(2);

        assertThatThrownBy(() -> execute("UPDATE audit_record SET details = 'x' WHERE seq = 1"))
                .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> execute("DELETE FROM audit_record WHERE seq = 2"))
                .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        assertThat(AuditLog.verify(database.dataSource()).intact()).isTrue();
    }
}
