package kz.qaqpa.blocklist.model;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where committed changes are read from — in the gateway, the change log in the database — with the
 * gateway's signed tree head over them.
 */
public interface ChangeSource {

    /**
     * Up to {@code limit} changes after {@code serial}, in serial order, without gaps — starting
     * later than {@code serial + 1} only when the changes in between have been pruned.
     */
    List<LoggedChange> changesAfter(long serial, int limit) throws Exception;

    /**
     * The latest signed tree head, signed anew at least every {@code sth-interval}, with the log's
     * right edge at its size. The publisher reads it first and publishes the changes up to it.
     */
    SignedHead head() throws Exception;

    /** The whole current set, consistent with the serial returned. */
    long snapshot(Consumer<BlocklistEntry> sink) throws Exception;
}
