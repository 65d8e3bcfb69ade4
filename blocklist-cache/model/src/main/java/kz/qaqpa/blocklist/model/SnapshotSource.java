package kz.qaqpa.blocklist.model;

import java.util.function.Consumer;

/**
 * Where a filtering node fetches the gateway's list when the cluster does not give it one that
 * verifies — the cluster lies, or is frozen: the gateway's HTTP feed, as {@code qaqpa pull} takes
 * it. Untrusted like the cluster: the node adopts what it returns only when the head is signed by
 * the gateway's pinned certificate, no older than what it enforces, and the entries give the set
 * hash the head states.
 */
public interface SnapshotSource {

    /**
     * Brings the source's copy in step with the gateway and returns the signed tree head it is
     * at (the attached CMS, as the gateway serves it).
     */
    byte[] refresh() throws Exception;

    /** Every entry of the copy at the head {@link #refresh} returned last. */
    void entries(Consumer<BlocklistEntry> sink) throws Exception;
}
