package kz.qaqpa.blocklist.model;

import java.util.Objects;

/**
 * The gateway's signed tree head as the cluster carries it: in the stream after the changes it
 * covers, and as the latest head beside the current set. Nothing in it is trusted until checked:
 * the signature by the pinned gateway certificate, the edge against the signed root.
 *
 * @param serial   the size it states (= the serial it covers), as claimed
 * @param cms      the attached CMS signature whose content is the tree head's bytes
 * @param frontier the log's right edge at that size ({@code Frontier#encoded}), as claimed
 */
public record SignedHead(long serial, byte[] cms, String frontier) implements StreamRecord {

    public SignedHead {
        Objects.requireNonNull(cms, "cms");
        Objects.requireNonNull(frontier, "frontier");
    }
}
