package kz.qaqpa.directives.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.Test;

/** H2 cannot forbid UPDATE and DELETE, so these show that verification catches them. */
class AuditLogH2Test extends AuditLogContract {

    @Override
    ThrowAwayDatabase newDatabase() {
        return ThrowAwayDatabase.h2();
    }

    @Test
    void changedRecordIsNamed() throws SQLException {
        append(4);
        execute("UPDATE audit_record SET details = 'nothing to see' WHERE seq = 2");

        AuditVerification result = AuditLog.verify(database.dataSource());

        assertThat(result.firstBroken()).contains(2L);
        assertThat(result.reason()).contains("changed");
    }

    @Test
    void removedRecordIsNamed() throws SQLException {
        append(4);
        execute("DELETE FROM audit_record WHERE seq = 3");

        assertThat(AuditLog.verify(database.dataSource()).firstBroken()).contains(3L);
    }

    @Test
    void removedNewestRecordIsCaughtByTheHead() throws SQLException {
        append(4);
        execute("DELETE FROM audit_record WHERE seq = 4");

        AuditVerification result = AuditLog.verify(database.dataSource());

        assertThat(result.firstBroken()).contains(4L);
        assertThat(result.reason()).contains("removed");
    }

    @Test
    void rewrittenChainIsCaughtAtTheFirstChangedRecord() throws SQLException {
        append(3);
        execute("UPDATE audit_record SET previous_hash = '" + "f".repeat(64) + "' WHERE seq = 2");

        assertThat(AuditLog.verify(database.dataSource()).firstBroken()).contains(2L);
    }
}
