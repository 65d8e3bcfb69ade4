package kz.qaqpa.blocklist.model.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.Sha256;

/**
 * One leaf of the blocklist's Merkle log: a committed change, with the directive it was made under
 * and the SHA-256 of that directive's signed document, so that the log ties every change to what
 * the authority signed. Its bytes, in the TLS presentation language of RFC 8446 §3 (big-endian):
 *
 * <pre>
 * struct {
 *     uint8  version = 0;
 *     uint64 serial;
 *     uint8  operation;              // 0 ADD, 1 UPDATE, 2 REMOVE
 *     opaque key&lt;1..2^16-1&gt;;       // the blocklist key, UTF-8
 *     opaque directive&lt;1..2^16-1&gt;; // the directive's number, UTF-8
 *     opaque document_sha256[32];
 * } BlocklistLeaf;
 * </pre>
 *
 * The leaf of serial s is leaf s − 1 of the tree, so a tree of n leaves is the list at serial n.
 *
 * @param documentSha256 SHA-256 of the directive's signed document, lower-case hex
 */
public record LogLeaf(long serial, Operation operation, String key, String directive, String documentSha256) {

    /** Leaves the gateway gives in one answer at most, and a client asks for at once. */
    public static final int PAGE = 1_000;

    private static final int MAX_FIELD = 0xFFFF;

    public LogLeaf {
        Objects.requireNonNull(operation, "operation");
        if (serial < 1) {
            throw new IllegalArgumentException("serials start at 1");
        }
        requireField(key, "key");
        requireField(directive, "directive");
        if (!Sha256.isHex(documentSha256)) {
            throw new IllegalArgumentException("documentSha256 is 64 lower-case hex digits");
        }
    }

    public byte[] bytes() {
        byte[] key = this.key.getBytes(StandardCharsets.UTF_8);
        byte[] directive = this.directive.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + 1 + 2 + key.length + 2 + directive.length + Merkle.HASH_BYTES);
        out.put((byte) 0).putLong(serial).put((byte) code(operation))
                .putShort((short) key.length).put(key)
                .putShort((short) directive.length).put(directive)
                .put(HexFormat.of().parseHex(documentSha256));
        return out.array();
    }

    /** Its hash in the tree: {@link Merkle#leafHash} of its bytes. */
    public byte[] hash() {
        return Merkle.leafHash(bytes());
    }

    private static int code(Operation operation) {
        return switch (operation) {
            case ADD -> 0;
            case UPDATE -> 1;
            case REMOVE -> 2;
        };
    }

    private static void requireField(String value, String name) {
        // UTF-8 takes at most three bytes for each char of a Java string: most values need no encoding here.
        if (value == null || value.isEmpty()
                || value.length() > MAX_FIELD / 3 && value.getBytes(StandardCharsets.UTF_8).length > MAX_FIELD) {
            throw new IllegalArgumentException(name + " is 1 to " + MAX_FIELD + " bytes of UTF-8");
        }
    }
}
