package kz.qaqpa.blocklist.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The one normal form of a URL's path and query (RFC 3986 §6.2.2): what intake applies to a URL
 * target and what a traffic-filtering node applies to a request, so that the two compare equal
 * exactly when they name the same resource.
 *
 * <p>Percent-encoded unreserved characters are decoded, the hex digits of the rest upper-cased,
 * and every character a component may not hold literally encoded as UTF-8; dot segments are
 * removed (§5.2.4); an empty path is {@code /}; an empty query is no query.
 */
public final class UrlForm {

    private static final String UNRESERVED_PUNCTUATION = "-._~";
    private static final String SUB_DELIMS = "!$&'()*+,;=";
    private static final String PATH_CHARS = SUB_DELIMS + ":@/";
    private static final String QUERY_CHARS = PATH_CHARS + "?";

    private UrlForm() {
    }

    /** The path and query as the URL's normal form writes them after its authority; IllegalArgumentException when malformed. */
    public static String pathAndQuery(String path, String query) {
        if (!path.isEmpty() && isNormal(path, PATH_CHARS, true)
                && (query == null || !query.isEmpty() && isNormal(query, QUERY_CHARS, false))) {
            // Already in normal form, as nearly every request is: nothing to build.
            return query == null ? path : path + "?" + query;
        }
        String normalPath = removeDotSegments(percentEncoding(path, PATH_CHARS));
        if (normalPath.isEmpty()) {
            normalPath = "/";
        }
        String normalQuery = query == null ? "" : percentEncoding(query, QUERY_CHARS);
        return normalQuery.isEmpty() ? normalPath : normalPath + "?" + normalQuery;
    }

    /**
     * An HTTP request's URL in the normal form of a URL target: {@code http://host[:port]/path[?query]},
     * the port left out when it is 80; empty when the request target is not one (a malformed percent-encoding).
     *
     * @param host          the request's host, a lower-case A-label or IPv4 literal
     * @param requestTarget the origin form: path and optional query, no fragment
     */
    public static Optional<String> http(String host, int port, String requestTarget) {
        int question = requestTarget.indexOf('?');
        String path = question < 0 ? requestTarget : requestTarget.substring(0, question);
        String query = question < 0 ? null : requestTarget.substring(question + 1);
        try {
            return Optional.of("http://" + host + (port == 80 ? "" : ":" + port) + pathAndQuery(path, query));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a component is its own normal form: only characters it may hold literally, no
     * percent-encoding, and (for a path) no {@code .} or {@code ..} segment.
     */
    private static boolean isNormal(String component, String allowedLiterally, boolean path) {
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (!isUnreserved(c) && (c >= 0x80 || allowedLiterally.indexOf(c) < 0)) {
                return false;
            }
            if (path && c == '.' && (i == 0 || component.charAt(i - 1) == '/')) {
                int end = i + 1 < component.length() && component.charAt(i + 1) == '.' ? i + 2 : i + 1;
                if (end == component.length() || component.charAt(end) == '/') {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Decodes percent-encoded unreserved characters, upper-cases the hex digits of the rest, and
     * encodes (as UTF-8) every character the component may not hold literally.
     */
    static String percentEncoding(String component, String allowedLiterally) {
        StringBuilder out = new StringBuilder(component.length());
        int i = 0;
        while (i < component.length()) {
            int c = component.codePointAt(i);
            if (c == '%') {
                if (i + 3 > component.length()) {
                    throw new IllegalArgumentException("incomplete percent-encoding at position " + i);
                }
                int high = Character.digit(component.charAt(i + 1), 16);
                int low = Character.digit(component.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("invalid percent-encoding at position " + i);
                }
                int octet = high * 16 + low;
                if (isUnreserved(octet)) {
                    out.append((char) octet);
                } else {
                    appendEncoded(out, octet);
                }
                i += 3;
                continue;
            }
            if (isUnreserved(c) || (c < 0x80 && allowedLiterally.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                for (byte octet : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    appendEncoded(out, octet & 0xff);
                }
            }
            i += Character.charCount(c);
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || (c < 0x80 && UNRESERVED_PUNCTUATION.indexOf(c) >= 0);
    }

    private static void appendEncoded(StringBuilder out, int octet) {
        out.append('%').append(Character.toUpperCase(Character.forDigit(octet >> 4, 16)))
                .append(Character.toUpperCase(Character.forDigit(octet & 0xf, 16)));
    }

    /** RFC 3986 §5.2.4, on whole segments. */
    static String removeDotSegments(String path) {
        if (path.isEmpty()) {
            return path;
        }
        Deque<String> output = new ArrayDeque<>();
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".")) {
                if (last) {
                    output.addLast("");
                }
            } else if (segment.equals("..")) {
                if (output.size() > 1) {
                    output.removeLast();
                }
                if (last) {
                    output.addLast("");
                }
            } else {
                output.addLast(segment);
            }
        }
        String joined = String.join("/", output);
        return joined.startsWith("/") || !path.startsWith("/") ? joined : "/" + joined;
    }
}
