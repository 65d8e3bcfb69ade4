package kz.qaqpa.blocklist.model.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tree answers as RFC 9162 defines it: roots against the definition computed the slow way,
 * every inclusion and consistency proof up to 70 leaves accepted, and any change to a proof, a
 * size or a root refused.
 */
class MerkleTreeTest {

    private static final int MOST = 70;

    @Test
    void theEmptyTreeAndTheEmptyLeafHaveTheHashesOfRfc9162() {
        assertThat(hex(new MerkleTree().root()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(hex(Merkle.leafHash(new byte[0])))
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    }

    @Test
    void everyRootIsTheTreeHashOfItsLeavesAsDefined() {
        MerkleTree tree = new MerkleTree();
        List<byte[]> leaves = new ArrayList<>();
        for (int n = 1; n <= MOST; n++) {
            byte[] leaf = Merkle.leafHash(("leaf " + n).getBytes(StandardCharsets.UTF_8));
            leaves.add(leaf);
            tree.append(leaf);
        }
        for (int n = 1; n <= MOST; n++) {
            assertThat(tree.root(n)).as("size %d", n).isEqualTo(definition(leaves.subList(0, n)));
        }
    }

    @Test
    void everyInclusionProofIsAcceptedAndNoAlteredOneIs() {
        MerkleTree tree = tree(MOST + 1);
        for (long n = 1; n <= MOST; n++) {
            byte[] root = tree.root(n);
            for (long i = 0; i < n; i++) {
                List<byte[]> proof = tree.inclusionProof(i, n);
                assertThat(Merkle.verifyInclusion(i, n, tree.leafHash(i), proof, root)).as("%d in %d", i, n).isTrue();
                assertThat(Merkle.verifyInclusion(i, n + 1, tree.leafHash(i), proof, tree.root(n + 1))).isFalse();
                if (n > 1) {
                    long other = (i + 1) % n;
                    assertThat(Merkle.verifyInclusion(other, n, tree.leafHash(i), proof, root)).isFalse();
                    assertThat(Merkle.verifyInclusion(i, n, tree.leafHash(other), proof, root)).isFalse();
                    assertThat(Merkle.verifyInclusion(i, n, tree.leafHash(i), altered(proof), root)).isFalse();
                    assertThat(Merkle.verifyInclusion(i, n, tree.leafHash(i), proof.subList(1, proof.size()), root)).isFalse();
                }
            }
        }
    }

    @Test
    void everyConsistencyProofIsAcceptedAndNoAlteredOneIs() {
        MerkleTree tree = tree(MOST);
        for (long n = 1; n <= MOST; n++) {
            for (long m = 0; m <= n; m++) {
                List<byte[]> proof = tree.consistencyProof(m, n);
                assertThat(Merkle.verifyConsistency(m, n, tree.root(m), tree.root(n), proof)).as("%d to %d", m, n).isTrue();
                if (m > 0 && m < n) {
                    assertThat(Merkle.verifyConsistency(m, n, tree.root(m), tree.root(n), altered(proof))).isFalse();
                    assertThat(Merkle.verifyConsistency(m, n, tree.root(m == 1 ? 2 : m - 1), tree.root(n), proof)).isFalse();
                    assertThat(Merkle.verifyConsistency(m, n, tree.root(m), tree.root(n - 1), proof)).isFalse();
                    assertThat(Merkle.verifyConsistency(m, n, tree.root(m), tree.root(n), List.of())).isFalse();
                }
            }
        }
    }

    @Test
    void theFrontierStatesTheSameRootsWithoutTheLeavesAndSurvivesItsEncoding() {
        MerkleTree tree = new MerkleTree();
        Frontier frontier = Frontier.empty();
        for (int n = 1; n <= MOST; n++) {
            byte[] leaf = Merkle.leafHash(("leaf " + n).getBytes(StandardCharsets.UTF_8));
            tree.append(leaf);
            frontier = Frontier.decode(frontier.size(), frontier.encoded());
            frontier.append(leaf);
            assertThat(frontier.root()).as("size %d", n).isEqualTo(tree.root());
        }
    }

    @Test
    void aTreeWhoseHistoryWasRewrittenIsNotAnExtension() {
        MerkleTree honest = tree(20);
        MerkleTree forked = new MerkleTree();
        for (int i = 0; i < 20; i++) {
            forked.append(i == 7 ? Merkle.leafHash("forged".getBytes(StandardCharsets.UTF_8)) : honest.leafHash(i));
        }
        for (long m = 8; m < 20; m++) {
            assertThat(Merkle.verifyConsistency(m, 20, honest.root(m), forked.root(20), forked.consistencyProof(m, 20)))
                    .as("from %d", m).isFalse();
        }
    }

    private static MerkleTree tree(int size) {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < size; i++) {
            tree.append(Merkle.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return tree;
    }

    /** RFC 9162 §2.1.1, literally. */
    private static byte[] definition(List<byte[]> leaves) {
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return Merkle.nodeHash(definition(leaves.subList(0, k)), definition(leaves.subList(k, leaves.size())));
    }

    private static List<byte[]> altered(List<byte[]> proof) {
        List<byte[]> altered = new ArrayList<>(proof);
        byte[] first = altered.get(0).clone();
        first[0] ^= 1;
        altered.set(0, first);
        return altered;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
