package kz.qaqpa.blocklist.traffic;

import java.util.Optional;
import kz.qaqpa.blocklist.matcher.Matcher;

/**
 * What the traffic filter decided about a connection or a request, and why.
 *
 * @param reason    what matched, or {@link Reason#PASS}
 * @param directive the number of the directive behind a refusal; empty when passed or when no list was held
 */
public record Verdict(Reason reason, Optional<String> directive) {

    public static final Verdict PASS = new Verdict(Reason.PASS, Optional.empty());
    public static final Verdict NO_LIST = new Verdict(Reason.NO_LIST, Optional.empty());

    /** The reasons, as metrics label them. */
    public enum Reason {
        /** Nothing restricts it. */
        PASS,
        /** The node holds no verified list yet: refused, never let through. */
        NO_LIST,
        /** The destination address lies in a restricted address or network. */
        ADDRESS,
        /** The TLS ClientHello names a restricted domain. */
        SNI,
        /** The TLS ClientHello names a host with restricted URLs, which TLS hides, and the policy refuses such hosts. */
        URL_HOST,
        /** The HTTP request's host is a restricted domain. */
        HOST,
        /** The HTTP request's URL is restricted. */
        URL
    }

    static Verdict of(Reason reason, Matcher matcher, int ordinal) {
        return ordinal == Matcher.NO_MATCH ? PASS : new Verdict(reason, Optional.of(matcher.directive(ordinal)));
    }

    public boolean passes() {
        return reason == Reason.PASS;
    }
}
