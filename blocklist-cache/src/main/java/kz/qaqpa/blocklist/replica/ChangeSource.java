package kz.qaqpa.blocklist.replica;

import java.util.List;

/** Where the publisher reads committed changes: the gateway's change log in the database. */
@FunctionalInterface
public interface ChangeSource {

    /** Up to {@code limit} changes after {@code serial}, in serial order, without gaps. */
    List<BlocklistChange> changesAfter(long serial, int limit) throws Exception;
}
