package kz.qaqpa.blocklist.replica;

import kz.qaqpa.blocklist.model.log.Receipt;

/**
 * What a filtering node reports about itself to the cluster. The plain fields are a claim: anyone
 * who reaches the cluster can write them. The {@link Receipt} is the node's own signed statement,
 * which the gateway checks against the node's registered key.
 *
 * @param id            the node's id
 * @param address       where it answers DNS
 * @param appliedSerial the blocklist serial it enforces
 * @param consistent    whether it holds a verified state (false: it answers REFUSED)
 * @param reportedAt    when it last reported, epoch milliseconds
 * @param state         how its state stands against the gateway's signed heads
 * @param detail        what it found, when not {@link State#VERIFIED}; empty otherwise
 * @param receipt       {@link Receipt#bytes()} of the node's receipt
 * @param signature     the node's signature over them
 */
public record NodeStatus(String id, String address, long appliedSerial, boolean consistent, long reportedAt,
                         State state, String detail, byte[] receipt, byte[] signature) {

    /** How a node's state stands against the gateway's signed heads. */
    public enum State {
        /** No verified state yet: it answers REFUSED. */
        STARTING,
        /** It enforces a state a signed, unexpired head vouches for. */
        VERIFIED,
        /** Its latest verified head has expired: it enforces that state, and no newer one has verified. */
        STALE,
        /** The cluster gave it data that does not verify: it refused it and enforces its last verified state. */
        TAMPERED
    }

    public boolean tampered() {
        return state == State.TAMPERED;
    }
}
