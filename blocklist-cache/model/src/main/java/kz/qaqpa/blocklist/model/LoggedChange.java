package kz.qaqpa.blocklist.model;

import java.util.Objects;
import kz.qaqpa.blocklist.model.log.LogLeaf;

/**
 * A change as the cluster's stream carries it: with the SHA-256 of the signed document of the
 * directive it was made under, so that a holder recomputes its leaf of the Merkle log and checks
 * the stream against the gateway's signed tree heads.
 *
 * @param documentSha256 lower-case hex
 */
public record LoggedChange(BlocklistChange change, String documentSha256) implements StreamRecord {

    public LoggedChange {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(documentSha256, "documentSha256");
    }

    @Override
    public long serial() {
        return change.serial();
    }

    /** Its leaf of the log; an {@link IllegalArgumentException} for fields no leaf can hold. */
    public LogLeaf leaf() {
        return new LogLeaf(change.serial(), change.operation(), change.key(), change.directive(), documentSha256);
    }
}
