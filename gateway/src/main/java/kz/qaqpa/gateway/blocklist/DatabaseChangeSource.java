package kz.qaqpa.gateway.blocklist;

import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.ChangeSource;
import kz.qaqpa.blocklist.model.LoggedChange;
import kz.qaqpa.blocklist.model.SignedHead;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.gateway.log.TreeHeads;

/**
 * The publisher's source: the change log in the database, the blocklist's source of truth, and
 * the tree heads the gateway signs over its Merkle log.
 */
public final class DatabaseChangeSource implements ChangeSource {

    private final DataSource dataSource;
    private final TreeHeads heads;

    public DatabaseChangeSource(DataSource dataSource, TreeHeads heads) {
        this.dataSource = dataSource;
        this.heads = heads;
    }

    @Override
    public List<LoggedChange> changesAfter(long serial, int limit) throws Exception {
        return ChangeLog.logged(dataSource, serial, limit);
    }

    @Override
    public SignedHead head() throws Exception {
        TreeHeads.Signed latest = heads.latest();
        return new SignedHead(latest.head().treeSize(), latest.cms(), latest.frontier().encoded());
    }

    @Override
    public long snapshot(Consumer<BlocklistEntry> sink) throws Exception {
        return ChangeLog.snapshot(dataSource, sink);
    }
}
