package kz.qaqpa.blocklist.dns;

import java.util.Optional;
import kz.qaqpa.blocklist.matcher.Matcher;

/** What the node does with a query for a name, whichever transport it came by. */
final class Policy {

    /** Answer here because the blocklist is not loaded, answer here because a directive restricts the name, or forward. */
    enum Action { NOT_READY, RESTRICTED, FORWARD }

    /** The decision, and for RESTRICTED the number of the directive to cite. */
    record Verdict(Action action, String directive) {
    }

    private static final Verdict NOT_READY = new Verdict(Action.NOT_READY, "");
    private static final Verdict FORWARD = new Verdict(Action.FORWARD, "");

    private final BlocklistView blocklist;
    private final Sinkhole sinkhole;

    Policy(BlocklistView blocklist, Sinkhole sinkhole) {
        this.blocklist = blocklist;
        this.sinkhole = sinkhole;
    }

    Sinkhole sinkhole() {
        return sinkhole;
    }

    Verdict decide(String name) {
        Optional<Matcher> matcher = blocklist.current();
        if (matcher.isEmpty()) {
            return NOT_READY;
        }
        int directive = matcher.get().matchDomain(name);
        return directive == Matcher.NO_MATCH ? FORWARD : new Verdict(Action.RESTRICTED, matcher.get().directive(directive));
    }
}
