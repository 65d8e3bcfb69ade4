package kz.qaqpa.gateway.blocklist;

import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.ChangeSource;
import kz.qaqpa.directives.blocklist.ChangeLog;

/** The publisher's source: the change log in the database, the blocklist's source of truth. */
public final class DatabaseChangeSource implements ChangeSource {

    private final DataSource dataSource;

    public DatabaseChangeSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<BlocklistChange> changesAfter(long serial, int limit) throws Exception {
        return ChangeLog.since(dataSource, serial, limit);
    }

    @Override
    public long snapshot(Consumer<BlocklistEntry> sink) throws Exception {
        return ChangeLog.snapshot(dataSource, sink);
    }
}
