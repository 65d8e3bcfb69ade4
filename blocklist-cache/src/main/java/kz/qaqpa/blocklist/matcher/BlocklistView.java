package kz.qaqpa.blocklist.matcher;

import java.util.Optional;

/**
 * Where a filtering node reads the blocklist: the matcher of the last verified state, or nothing
 * while it holds none — in which case the node refuses (DNS: REFUSED; traffic: the connection)
 * rather than let a restricted name or address through.
 */
@FunctionalInterface
public interface BlocklistView {

    Optional<Matcher> current();

    /** The serial of the state {@link #current} holds, which the node's negative answers cite; 0 when unknown. */
    default long serial() {
        return 0;
    }
}
