package kz.qaqpa.gateway.blocklist;

import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.replica.BlocklistChange;
import kz.qaqpa.blocklist.replica.ChangeSource;
import kz.qaqpa.directives.blocklist.Change;
import kz.qaqpa.directives.blocklist.ChangeLog;

/** The publisher's source: the change log in the database, the blocklist's source of truth. */
public final class DatabaseChangeSource implements ChangeSource {

    private final DataSource dataSource;

    public DatabaseChangeSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<BlocklistChange> changesAfter(long serial, int limit) throws Exception {
        return ChangeLog.since(dataSource, serial, limit).stream().map(DatabaseChangeSource::replicated).toList();
    }

    @Override
    public long snapshot(Consumer<BlocklistChange> sink) throws Exception {
        return ChangeLog.snapshot(dataSource, entry -> sink.accept(new BlocklistChange(entry.sinceSerial(), true,
                entry.kind().name(), entry.key(), entry.value(), entry.includeSubdomains(),
                entry.hostHint().orElse(null), entry.directiveNumber())));
    }

    /** ADD and UPDATE both put the target under the change's directive; REMOVE takes it out. */
    private static BlocklistChange replicated(Change change) {
        return new BlocklistChange(change.serial(), change.operation() != Change.Operation.REMOVE,
                change.kind().name(), change.key(), change.value(), change.includeSubdomains(),
                change.hostHint().orElse(null), change.directiveNumber());
    }
}
