package kz.qaqpa.blocklist.model;

import java.util.List;
import java.util.function.Consumer;

/** Where committed changes are read from: in the gateway, the change log in the database. */
public interface ChangeSource {

    /**
     * Up to {@code limit} changes after {@code serial}, in serial order, without gaps — starting
     * later than {@code serial + 1} only when the changes in between have been pruned.
     */
    List<BlocklistChange> changesAfter(long serial, int limit) throws Exception;

    /** The whole current set, consistent with the serial returned. */
    long snapshot(Consumer<BlocklistEntry> sink) throws Exception;
}
