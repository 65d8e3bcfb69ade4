package kz.qaqpa.blocklist.model;

/**
 * What the cluster's stream carries, in serial order: a {@link LoggedChange}, the gateway's
 * {@link SignedHead} after the changes it covers, or a {@link Reload} marker.
 */
public sealed interface StreamRecord permits LoggedChange, SignedHead, Reload {

    /** Its serial in the gateway's change log. */
    long serial();
}
