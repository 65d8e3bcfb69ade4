package kz.qaqpa.blocklist.replica;

import java.util.List;
import java.util.function.Consumer;

/** Where the publisher reads committed changes: the gateway's change log in the database. */
public interface ChangeSource {

    /**
     * Up to {@code limit} changes after {@code serial}, in serial order, without gaps — starting
     * later than {@code serial + 1} only when the changes in between have been pruned.
     */
    List<BlocklistChange> changesAfter(long serial, int limit) throws Exception;

    /**
     * The whole current set, each entry as an adding change under the directive it is enforced
     * under, consistent with the serial returned.
     */
    long snapshot(Consumer<BlocklistChange> sink) throws Exception;
}
