package kz.qaqpa.blocklist.traffic;

import java.nio.charset.StandardCharsets;
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

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    /** A head that cannot be passed, with the status it is answered with. */
    static final class Malformed extends Exception {
        final int status;

        Malformed(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** Reads a head: the bytes up to and including its empty line. Read byte by byte: it runs for every request. */
    static RequestHead parse(byte[] head) throws Malformed {
        int end = lineEnd(head, 0);
        int firstSpace = indexOf(head, (byte) ' ', 0, end);
        int secondSpace = firstSpace < 0 ? -1 : indexOf(head, (byte) ' ', firstSpace + 1, end);
        if (secondSpace < 0 || !isToken(head, 0, firstSpace) || secondSpace == firstSpace + 1
                || indexOf(head, (byte) ' ', secondSpace + 1, end) >= 0 || !isVersion(head, secondSpace + 1, end)) {
            throw new Malformed(400, "not an HTTP/1.x request line");
        }
        for (int i = firstSpace + 1; i < secondSpace; i++) {
            // A bare CR or another control character in the target: an origin may end the line there.
            if (head[i] >= 0 && head[i] < 0x20 || head[i] == 0x7f) {
                throw new Malformed(400, "control character in the request target");
            }
        }
        String method = new String(head, 0, firstSpace, StandardCharsets.ISO_8859_1);
        String target = new String(head, firstSpace + 1, secondSpace - firstSpace - 1, StandardCharsets.ISO_8859_1);
        boolean http11 = head[end - 1] == '1';
        String host = null;
        String contentLength = null;
        String transferEncoding = null;
        boolean upgrade = false;
        for (int start = next(head, end); start < head.length; start = next(head, end)) {
            end = lineEnd(head, start);
            if (end == start) {
                continue;
            }
            if (head[start] == ' ' || head[start] == '\t') {
                throw new Malformed(400, "folded header line");
            }
            int colon = indexOf(head, (byte) ':', start, end);
            if (colon <= start || !isToken(head, start, colon)) {
                throw new Malformed(400, "malformed header line");
            }
            for (int i = colon + 1; i < end; i++) {
                if (head[i] < 0x20 && head[i] != '\t' || head[i] == 0x7f) {
                    throw new Malformed(400, "control character in a header");
                }
            }
            if (is(head, start, colon, "host")) {
                if (host != null) {
                    throw new Malformed(400, "more than one Host");
                }
                host = value(head, colon, end);
            } else if (is(head, start, colon, "content-length")) {
                contentLength = combine(contentLength, value(head, colon, end));
            } else if (is(head, start, colon, "transfer-encoding")) {
                String value = value(head, colon, end);
                transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
            } else if (is(head, start, colon, "upgrade")) {
                upgrade = true;
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
            int authority = target.indexOf("//") + 2;
            int after = authority;
            while (after < target.length() && "/?#".indexOf(target.charAt(after)) < 0) {
                after++;
            }
            host = target.substring(authority, after);
            path = after < target.length() && target.charAt(after) != '#' ? target.substring(after) : "/";
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

    private static final boolean[] TOKEN_CHARS = new boolean[128];

    static {
        for (char c : "!#$%&'*+.^_`|~-".toCharArray()) {
            TOKEN_CHARS[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            TOKEN_CHARS[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN_CHARS[c] = true;
            TOKEN_CHARS[Character.toUpperCase(c)] = true;
        }
    }

    /** Where the line starting at {@code start} ends: its CR LF, or its bare LF, or the end of the head. */
    private static int lineEnd(byte[] head, int start) {
        int lf = indexOf(head, (byte) '\n', start, head.length);
        if (lf < 0) {
            return head.length;
        }
        return lf > start && head[lf - 1] == '\r' ? lf - 1 : lf;
    }

    /** The start of the line after the one ending at {@code end}. */
    private static int next(byte[] head, int end) {
        int i = end;
        if (i < head.length && head[i] == '\r') {
            i++;
        }
        return i < head.length && head[i] == '\n' ? i + 1 : head.length;
    }

    private static int indexOf(byte[] head, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (head[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isToken(byte[] head, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (head[i] < 0 || !TOKEN_CHARS[head[i]]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVersion(byte[] head, int from, int to) {
        return to - from == 8 && head[from] == 'H' && head[from + 1] == 'T' && head[from + 2] == 'T'
                && head[from + 3] == 'P' && head[from + 4] == '/' && head[from + 5] == '1' && head[from + 6] == '.'
                && (head[from + 7] == '0' || head[from + 7] == '1');
    }

    /** Whether the header name in {@code [from, to)} is {@code name} (lower case), in any case. */
    private static boolean is(byte[] head, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            int c = head[from + i];
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String value(byte[] head, int colon, int end) {
        return new String(head, colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1).strip();
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
