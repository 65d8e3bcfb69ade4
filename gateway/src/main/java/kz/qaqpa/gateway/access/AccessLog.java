package kz.qaqpa.gateway.access;

import java.time.Clock;
import kz.qaqpa.directives.audit.AuditEntry;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.store.Database;

/**
 * Records, in the hash-chained audit log, an access that changes nothing else — an official reading
 * an appellant's personal data, downloading evidence, drafting an order (seed 002 art. 42–43). Each
 * record is committed before the data is answered: a read the log cannot record is not answered.
 * Blocking: call it on a worker thread.
 */
public final class AccessLog {

    private final Database database;
    private final AuditLog audit;

    public AccessLog(Database database, Clock clock) {
        this.database = database;
        this.audit = new AuditLog(clock);
    }

    public void record(AuditEntry entry) {
        audit.record(database, entry);
    }
}
