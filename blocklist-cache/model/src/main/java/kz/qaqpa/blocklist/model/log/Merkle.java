package kz.qaqpa.blocklist.model.log;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import kz.qaqpa.blocklist.model.Sha256;

/**
 * The Merkle tree hash of RFC 9162 §2.1 (Certificate Transparency 2.0) and the checks of its
 * proofs: a leaf's hash is SHA-256(0x00 ‖ leaf), an inner node's SHA-256(0x01 ‖ left ‖ right), and
 * a tree of n leaves splits at the largest power of two below n. What holds a tree is
 * {@link MerkleTree}; this class is what a verifier needs and nothing more.
 */
public final class Merkle {

    /** Every hash of the log is a SHA-256. */
    public static final int HASH_BYTES = 32;

    private static final byte LEAF = 0x00;
    private static final byte NODE = 0x01;

    private Merkle() {
    }

    /** The root of the empty tree: SHA-256 of nothing. */
    public static byte[] emptyRoot() {
        return Sha256.digest().digest();
    }

    public static byte[] leafHash(byte[] leaf) {
        MessageDigest digest = Sha256.digest();
        digest.update(LEAF);
        return digest.digest(leaf);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest digest = Sha256.digest();
        digest.update(NODE);
        digest.update(left);
        return digest.digest(right);
    }

    /** The largest power of two strictly below {@code n} (n ≥ 2): where RFC 9162 splits a tree. */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    /**
     * Whether {@code proof} shows the leaf with hash {@code leafHash} at {@code index} in the tree of
     * {@code treeSize} leaves whose root is {@code root} (RFC 9162 §2.1.3.2).
     */
    public static boolean verifyInclusion(long index, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= treeSize) {
            return false;
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /**
     * Whether {@code proof} shows that the tree of {@code second} leaves with root {@code secondRoot}
     * extends the tree of {@code first} leaves with root {@code firstRoot}: the same first leaves in
     * the same order, only appended to (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and
     * equal roots; every tree extends the empty one.
     */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
                                            List<byte[]> proof) {
        if (first < 0 || second < first) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
        }
        if (first == 0) {
            return proof.isEmpty();
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = proof;
        if (Long.bitCount(first) == 1) {
            path = new java.util.ArrayList<>(proof.size() + 1);
            path.add(firstRoot);
            path.addAll(proof);
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
    }
}
