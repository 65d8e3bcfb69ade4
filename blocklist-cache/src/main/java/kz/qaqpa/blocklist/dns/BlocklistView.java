package kz.qaqpa.blocklist.dns;

import java.util.Optional;
import kz.qaqpa.blocklist.matcher.Matcher;

/**
 * Where the DNS node reads the blocklist: the matcher of the last consistent state, or nothing
 * while no consistent state has been loaded — in which case the node refuses to answer rather than
 * let a restricted name through.
 */
@FunctionalInterface
public interface BlocklistView {

    Optional<Matcher> current();

    /** The serial of the state {@link #current} holds, which the node's negative answers cite; 0 when unknown. */
    default long serial() {
        return 0;
    }
}
