package kz.qaqpa.blocklist.traffic;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.blocklist.model.UrlForm;

/**
 * The traffic filter's decisions, one matcher state each, with no I/O: what {@link TrafficFilter}'s
 * handlers ask once they know the destination, the TLS server name or an HTTP request.
 */
final class Judge {

    private Judge() {
    }

    /** A connection to this address. */
    static Verdict address(Matcher matcher, InetAddress destination) {
        return Verdict.of(Verdict.Reason.ADDRESS, matcher, matcher.matchAddress(destination.getAddress()));
    }

    /**
     * A TLS ClientHello naming {@code serverName} (as sent: with ECH, the outer name). No name decides
     * nothing: the address was judged when the connection came.
     */
    static Verdict serverName(Matcher matcher, String serverName, TrafficFilter.UrlHostPolicy urlHosts) {
        if (serverName == null) {
            return Verdict.PASS;
        }
        Optional<String> host = host(serverName);
        if (host.isEmpty()) {
            return Verdict.PASS;
        }
        Verdict domain = Verdict.of(Verdict.Reason.SNI, matcher, matcher.matchDomain(host.get()));
        if (!domain.passes() || urlHosts == TrafficFilter.UrlHostPolicy.PASS) {
            return domain;
        }
        return Verdict.of(Verdict.Reason.URL_HOST, matcher, matcher.matchUrlHost(host.get()));
    }

    /**
     * A plain HTTP request: its host restricted as a domain, or its URL — in the normal form of a URL
     * target — restricted exactly. A URL restricted with {@code https} is the same resource when asked
     * for over plain HTTP on the default port, and is refused there too.
     *
     * @param host          the request's host as it came (Host header or absolute form), port and all; without
     *                      a port, the URL's is 80 (RFC 9112 §3.3), wherever the connection went
     * @param requestTarget the origin form, path and query
     */
    static Verdict request(Matcher matcher, String host, String requestTarget) {
        int port = 80;
        String name = host;
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon) {
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            name = host.substring(0, colon);
        }
        Optional<String> normal = host(name);
        if (normal.isEmpty()) {
            return Verdict.PASS;
        }
        Verdict domain = Verdict.of(Verdict.Reason.HOST, matcher, matcher.matchDomain(normal.get()));
        if (!domain.passes() || port < 1 || port > 65_535 || matcher.matchUrlHost(normal.get()) == Matcher.NO_MATCH) {
            // Most hosts have no restricted URL: their requests' URLs are never put in normal form.
            return domain;
        }
        Optional<String> url = UrlForm.http(normal.get(), port, requestTarget);
        if (url.isEmpty()) {
            return Verdict.PASS;
        }
        int ordinal = matcher.matchUrl(url.get());
        if (ordinal == Matcher.NO_MATCH && port == 80) {
            ordinal = matcher.matchUrl("https" + url.get().substring("http".length()));
        }
        return Verdict.of(Verdict.Reason.URL, matcher, ordinal);
    }

    /** A host as the matcher compares it: ASCII lower case, no trailing dot; empty when it is no name or IPv4 literal. */
    static Optional<String> host(String text) {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty() || name.length() > 253) {
            return Optional.empty();
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
                return Optional.empty();
            }
        }
        return Optional.of(name.toLowerCase(Locale.ROOT));
    }
}
