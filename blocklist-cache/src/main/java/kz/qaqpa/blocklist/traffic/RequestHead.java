package kz.qaqpa.blocklist.traffic;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An HTTP/1.x request head (RFC 9112 §2–§6), read only as far as judging it and finding where its
 * body ends needs: the method, the request target, the host, and the body's framing. Strict where a
 * lenient reading would let the filter and the origin disagree about where one request ends and the
 * next begins (request smuggling): a head that is ambiguous is refused, never passed.
 *
 * @param method        the method token
 * @param target        the request target as sent
 * @param host          the host the request is for (the absolute form's authority, else the Host header)
 * @param path          the origin form of the target: path and query ({@code *} for OPTIONS *, the authority for CONNECT)
 * @param contentLength the body's length when framed by Content-Length; -1 otherwise
 * @param chunked       the body is chunked
 * @param switching     the request may switch the connection to another protocol (Upgrade, CONNECT):
 *                      what follows it is judged no further only if the origin agrees
 */
record RequestHead(String method, String target, Optional<String> host, String path, long contentLength,
                   boolean chunked, boolean switching) {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern VERSION = Pattern.compile("HTTP/1\\.[01]");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    /** A head that cannot be passed, with the status it is answered with. */
    static final class Malformed extends Exception {
        final int status;

        Malformed(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** Reads a head: the bytes up to and including its empty line. */
    static RequestHead parse(byte[] head) throws Malformed {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !TOKEN.matcher(requestLine[0]).matches() || requestLine[1].isEmpty()
                || !VERSION.matcher(requestLine[2]).matches()) {
            throw new Malformed(400, "not an HTTP/1.x request line");
        }
        String method = requestLine[0];
        String target = requestLine[1];
        boolean http11 = requestLine[2].equals("HTTP/1.1");
        String host = null;
        String contentLength = null;
        String transferEncoding = null;
        boolean upgrade = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new Malformed(400, "folded header line");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                throw new Malformed(400, "malformed header line");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw new Malformed(400, "control character in a header");
            }
            switch (name) {
                case "host" -> {
                    if (host != null) {
                        throw new Malformed(400, "more than one Host");
                    }
                    host = value;
                }
                case "content-length" -> contentLength = combine(contentLength, value);
                case "transfer-encoding" -> transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
                case "upgrade" -> upgrade = true;
                default -> {
                    // Read by the origin alone.
                }
            }
        }
        boolean chunked = false;
        long length = -1;
        if (transferEncoding != null) {
            if (contentLength != null) {
                throw new Malformed(400, "both Transfer-Encoding and Content-Length");
            }
            String[] codings = transferEncoding.split(",");
            if (!codings[codings.length - 1].strip().equalsIgnoreCase("chunked") || !http11) {
                throw new Malformed(400, "a request body must end chunked");
            }
            chunked = true;
        } else if (contentLength != null) {
            length = Long.parseLong(contentLength);
        }
        String path = target;
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            int start = target.indexOf("//") + 2;
            int end = start;
            while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
                end++;
            }
            host = target.substring(start, end);
            path = end < target.length() && target.charAt(end) != '#' ? target.substring(end) : "/";
        } else if (method.equals("CONNECT")) {
            host = target;
        } else if (!target.startsWith("/") && !(target.equals("*") && method.equals("OPTIONS"))) {
            throw new Malformed(400, "request target is neither origin nor absolute form");
        }
        int fragment = path.indexOf('#');
        if (fragment >= 0) {
            path = path.substring(0, fragment);
        }
        if (host == null && http11) {
            throw new Malformed(400, "HTTP/1.1 request without Host");
        }
        if (host != null && (host.isEmpty() || host.indexOf('@') >= 0)) {
            throw new Malformed(400, "malformed host");
        }
        return new RequestHead(method, target, Optional.ofNullable(host), path, length, chunked,
                upgrade || method.equals("CONNECT"));
    }

    /** Content-Length given more than once, or as a list, must say one length. */
    private static String combine(String before, String value) throws Malformed {
        String length = null;
        for (String part : value.split(",", -1)) {
            String digits = part.strip();
            if (!DIGITS.matcher(digits).matches() || length != null && !length.equals(digits)) {
                throw new Malformed(400, "malformed Content-Length");
            }
            length = digits;
        }
        if (before != null && !before.equals(length)) {
            throw new Malformed(400, "conflicting Content-Length");
        }
        return length;
    }
}
