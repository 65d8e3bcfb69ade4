package kz.qaqpa.blocklist.model.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Merkle tree (RFC 9162 §2.1) held in memory to answer for any of its sizes: the root, an
 * inclusion proof and a consistency proof. It keeps every leaf hash and the hash of every complete
 * subtree (twice the leaves' 32 bytes in all), so an answer costs O(log² n) hashes, not O(n).
 * Appending costs O(1) amortised. Not thread-safe: its owner serialises access.
 */
public final class MerkleTree {

    /** {@code levels.get(k)} holds the hashes of the complete subtrees of 2^k leaves, left to right. */
    private final List<Hashes> levels = new ArrayList<>();
    private long size;

    public long size() {
        return size;
    }

    /** Appends a leaf by its hash ({@link Merkle#leafHash}). */
    public void append(byte[] leafHash) {
        if (leafHash.length != Merkle.HASH_BYTES) {
            throw new IllegalArgumentException("a leaf hash is " + Merkle.HASH_BYTES + " bytes");
        }
        level(0).add(leafHash);
        size++;
        // Each level whose last pair is now complete gets the pair's parent.
        for (int k = 0; (size & ((1L << (k + 1)) - 1)) == 0; k++) {
            Hashes below = levels.get(k);
            long right = below.count() - 1;
            level(k + 1).add(Merkle.nodeHash(below.get(right - 1), below.get(right)));
        }
    }

    /** The hash of leaf {@code index}. */
    public byte[] leafHash(long index) {
        check(index, size - 1);
        return levels.get(0).get(index);
    }

    /** The root of the tree's first {@code treeSize} leaves. */
    public byte[] root(long treeSize) {
        check(treeSize, size);
        return treeSize == 0 ? Merkle.emptyRoot() : hash(0, treeSize);
    }

    public byte[] root() {
        return root(size);
    }

    /** The proof that leaf {@code index} is in the tree of {@code treeSize} leaves (RFC 9162 §2.1.3.1). */
    public List<byte[]> inclusionProof(long index, long treeSize) {
        check(treeSize, size);
        check(index, treeSize - 1);
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, treeSize, proof);
        return proof;
    }

    /** The proof that the tree of {@code second} leaves extends that of {@code first} (RFC 9162 §2.1.4.1). */
    public List<byte[]> consistencyProof(long first, long second) {
        check(second, size);
        check(first, second);
        List<byte[]> proof = new ArrayList<>();
        if (first > 0 && first < second) {
            subproof(first, 0, second, true, proof);
        }
        return proof;
    }

    private void path(long index, long start, long end, List<byte[]> proof) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = Merkle.split(n);
        if (index < k) {
            path(index, start, start + k, proof);
            proof.add(hash(start + k, end));
        } else {
            path(index - k, start + k, end, proof);
            proof.add(hash(start, start + k));
        }
    }

    private void subproof(long m, long start, long end, boolean whole, List<byte[]> proof) {
        long n = end - start;
        if (m == n) {
            if (!whole) {
                proof.add(hash(start, end));
            }
            return;
        }
        long k = Merkle.split(n);
        if (m <= k) {
            subproof(m, start, start + k, whole, proof);
            proof.add(hash(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, proof);
            proof.add(hash(start, start + k));
        }
    }

    /** MTH of leaves [start, end): a complete, aligned subtree is looked up, anything else split. */
    private byte[] hash(long start, long end) {
        long n = end - start;
        if (Long.bitCount(n) == 1) {
            return levels.get(Long.numberOfTrailingZeros(n)).get(start / n); // RFC 9162 splits keep starts aligned
        }
        long k = Merkle.split(n);
        return Merkle.nodeHash(hash(start, start + k), hash(start + k, end));
    }

    private Hashes level(int k) {
        while (levels.size() <= k) {
            levels.add(new Hashes());
        }
        return levels.get(k);
    }

    private static void check(long value, long most) {
        if (value < 0 || value > most) {
            throw new IllegalArgumentException(value + " is outside 0.." + most);
        }
    }

    /** Hashes of 32 bytes in one growing array: no object per hash. */
    private static final class Hashes {
        private byte[] bytes = new byte[Merkle.HASH_BYTES * 16];
        private long count;

        void add(byte[] hash) {
            long offset = count * Merkle.HASH_BYTES;
            if (offset + Merkle.HASH_BYTES > bytes.length) {
                long grown = Math.max(offset + Merkle.HASH_BYTES, (long) bytes.length * 3 / 2);
                if (grown > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("the log outgrew one level's array (" + count + " hashes)");
                }
                bytes = Arrays.copyOf(bytes, (int) grown);
            }
            System.arraycopy(hash, 0, bytes, (int) offset, Merkle.HASH_BYTES);
            count++;
        }

        byte[] get(long index) {
            int offset = Math.toIntExact(index * Merkle.HASH_BYTES);
            return Arrays.copyOfRange(bytes, offset, offset + Merkle.HASH_BYTES);
        }

        long count() {
            return count;
        }
    }
}
