package kz.qaqpa.blocklist.model.log;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The right edge of a Merkle tree (RFC 9162): the roots of its complete subtrees, one per bit set in
 * its size, largest first. Enough to append a leaf and to state the root without the leaves, so
 * the intake extends the log and commits its new root in the same transaction as the changes,
 * whatever the log's length. Kept as hex ({@link #encoded()}) beside the change log's head.
 */
public final class Frontier {

    private final List<byte[]> roots;
    private long size;

    private Frontier(long size, List<byte[]> roots) {
        if (Long.bitCount(size) != roots.size()) {
            throw new IllegalArgumentException("a tree of " + size + " leaves has " + Long.bitCount(size)
                    + " complete subtrees on its right edge, not " + roots.size());
        }
        this.size = size;
        this.roots = roots;
    }

    public static Frontier empty() {
        return new Frontier(0, new ArrayList<>());
    }

    /** The frontier of a tree of {@code size} leaves from {@link #encoded()}. */
    public static Frontier decode(long size, String encoded) {
        if (encoded.length() % (2 * Merkle.HASH_BYTES) != 0) {
            throw new IllegalArgumentException("a frontier is whole 32-byte hashes in hex");
        }
        List<byte[]> roots = new ArrayList<>();
        for (int at = 0; at < encoded.length(); at += 2 * Merkle.HASH_BYTES) {
            roots.add(HexFormat.of().parseHex(encoded, at, at + 2 * Merkle.HASH_BYTES));
        }
        return new Frontier(size, roots);
    }

    public long size() {
        return size;
    }

    public void append(byte[] leafHash) {
        byte[] carry = leafHash;
        // Merging runs as far as the new size's trailing one bits: each complete pair becomes its parent.
        for (long bits = size; (bits & 1) == 1; bits >>= 1) {
            carry = Merkle.nodeHash(roots.remove(roots.size() - 1), carry);
        }
        roots.add(carry);
        size++;
    }

    /** The root of the tree: its subtrees folded from the right (RFC 9162 splits at the largest power of two). */
    public byte[] root() {
        if (roots.isEmpty()) {
            return Merkle.emptyRoot();
        }
        byte[] root = roots.get(roots.size() - 1);
        for (int i = roots.size() - 2; i >= 0; i--) {
            root = Merkle.nodeHash(roots.get(i), root);
        }
        return root;
    }

    public String encoded() {
        StringBuilder hex = new StringBuilder(roots.size() * 2 * Merkle.HASH_BYTES);
        roots.forEach(root -> hex.append(HexFormat.of().formatHex(root)));
        return hex.toString();
    }
}
