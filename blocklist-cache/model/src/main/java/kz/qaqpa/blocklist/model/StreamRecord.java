package kz.qaqpa.blocklist.model;

/**
 * What a stream of changes carries, in serial order: a {@link BlocklistChange}, or a
 * {@link Reload} marker.
 */
public sealed interface StreamRecord permits BlocklistChange, Reload {

    /** Its serial in the gateway's change log. */
    long serial();
}
