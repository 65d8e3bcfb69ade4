package kz.qaqpa.directives.identity;

import java.util.regex.Pattern;

/**
 * The product's one rule for an e-mail address, wherever one is given: an appellant's, a recipient
 * channel's {@code to} and {@code from}, the gateway's {@code smtp-from} and {@code authority-email}.
 *
 * <p>It is deliberately not RFC 5322's full grammar (quoted local parts, comments, address
 * literals): only {@code local@domain}, neither part holding white space, a second {@code @} or a
 * character that would end or open another header field or address ({@code <>"(),;:}), the domain
 * made of non-empty dot-separated labels — a dotless one such as {@code localhost} included, as
 * RFC 5321 allows — and at most 320 characters (64 + 1 + 255). That keeps every address a single
 * token in a mail header, where a hostile one could otherwise add recipients.
 */
public final class EmailAddress {

    /** The longest address taken: a 64-character local part, {@code @}, a 255-character domain. */
    public static final int MAX_LENGTH = 320;

    private static final String ATOM = "[^@\\s<>\"(),;:.]+";
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\"(),;:]+@" + ATOM + "(?:\\." + ATOM + ")*");

    private EmailAddress() {
    }

    /** Whether {@code text} is an address by this rule. */
    public static boolean isValid(String text) {
        return text != null && text.length() <= MAX_LENGTH && ADDRESS.matcher(text).matches();
    }
}
