package kz.qaqpa.blocklist.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The product's one SHA-256 in lower-case hex: blocklist keys, tokens, documents, certificates, the audit chain. */
public final class Sha256 {

    private Sha256() {
    }

    /** SHA-256 (hex) of a text in UTF-8. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 (hex) of some bytes. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** The hex of what {@code digest} (one of {@link #digest()}) has taken so far; it is reset. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Whether {@code text} is a SHA-256 as this class writes it: 64 lower-case hex digits. Checked
     * by hand, not by a regular expression, because it is checked for every leaf of the log.
     */
    public static boolean isHex(String text) {
        if (text == null || text.length() != 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** A fresh SHA-256 digest, for what is hashed as it streams by or taken in parts. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
