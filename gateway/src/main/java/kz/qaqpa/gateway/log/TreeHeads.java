package kz.qaqpa.gateway.log;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.log.Frontier;
import kz.qaqpa.blocklist.model.log.MerkleTree;
import kz.qaqpa.blocklist.model.log.TreeHead;
import kz.qaqpa.directives.blocklist.BlocklistLog;
import kz.qaqpa.directives.signature.DocumentSigner;

/**
 * The gateway's view of the blocklist's Merkle log: the tree in memory, kept in step with the
 * database's leaves, and the tree head the gateway signs. Every answer first catches up with what
 * the database has committed and checks that its leaves give the root the intake committed with
 * them; a database whose log is shorter than what this gateway has already stated, or whose
 * leaves do not give its root, is an {@link IllegalStateException} — history rewritten underneath.
 *
 * <p>A served head is never older than {@code interval}: it is signed anew when the log grows and
 * when the last one is that old, so staleness shows even when nothing changes.
 */
public final class TreeHeads {

    /**
     * A tree head and its signature: attached CMS (DER) by the gateway's key, the head's bytes
     * inside; and the log's right edge at its size (which a holder checks against the head's root).
     */
    public record Signed(TreeHead head, byte[] cms, Frontier frontier) {
    }

    private final DataSource dataSource;
    private final DocumentSigner signer;
    private final Clock clock;
    private final Duration interval;
    private final Duration staleness;
    private final MerkleTree tree = new MerkleTree();
    /** The database's head as last caught up with: the edge and set hash at the tree's size. */
    private BlocklistLog.Head caughtUp;
    private Signed latest;

    public TreeHeads(DataSource dataSource, DocumentSigner signer, Clock clock, Duration interval, Duration staleness) {
        this.dataSource = dataSource;
        this.signer = signer;
        this.clock = clock;
        this.interval = interval;
        this.staleness = staleness;
    }

    /** The latest signed tree head. */
    public synchronized Signed latest() throws SQLException {
        catchUp();
        Instant now = clock.instant();
        if (latest == null || latest.head().treeSize() != tree.size()
                || !now.isBefore(latest.head().timestamp().plus(interval))) {
            TreeHead head = TreeHead.of(tree.size(), tree.root(), caughtUp.setHash(), now, now.plus(staleness));
            latest = new Signed(head, signer.sign(head.bytes(), true), caughtUp.frontier());
        }
        return latest;
    }

    /** The root at {@code size} (≤ the log's size). */
    public synchronized byte[] root(long size) throws SQLException {
        catchUp();
        return tree.root(size);
    }

    /**
     * The proof that the log at {@code second} extends the log at {@code first}.
     *
     * @throws IllegalArgumentException unless 0 ≤ first ≤ second ≤ the log's size, saying so
     */
    public synchronized List<byte[]> consistency(long first, long second) throws SQLException {
        catchUp();
        if (first < 0 || first > second || second > tree.size()) {
            throw new IllegalArgumentException("0 ≤ first ≤ second ≤ the log's size, " + tree.size());
        }
        return tree.consistencyProof(first, second);
    }

    /**
     * The hash of the leaf of {@code serial} and the proof that it is in the log at {@code size}.
     *
     * @throws IllegalArgumentException unless 1 ≤ serial ≤ size ≤ the log's size, saying so
     */
    public synchronized Inclusion inclusion(long serial, long size) throws SQLException {
        catchUp();
        if (serial < 1 || serial > size || size > tree.size()) {
            throw new IllegalArgumentException("1 ≤ serial ≤ size ≤ the log's size, " + tree.size());
        }
        return new Inclusion(tree.leafHash(serial - 1), tree.inclusionProof(serial - 1, size));
    }

    /** A leaf's hash and its audit path. */
    public record Inclusion(byte[] leafHash, List<byte[]> proof) {
    }

    private void catchUp() throws SQLException {
        BlocklistLog.Head head = BlocklistLog.head(dataSource);
        if (head.size() < tree.size()) {
            throw new IllegalStateException("the database's Merkle log has " + head.size() + " leaves but this gateway "
                    + "has already stated " + tree.size() + ": the log was rewritten or the database restored from an "
                    + "older copy");
        }
        if (head.size() > tree.size()) {
            BlocklistLog.leafHashes(dataSource, tree.size(), head.size(), tree::append);
        }
        if (tree.size() != head.size() || !Arrays.equals(tree.root(), head.root())) {
            throw new IllegalStateException("the database's Merkle leaves do not give the root committed with them "
                    + "at size " + head.size() + ": the log was altered");
        }
        caughtUp = head;
    }
}
