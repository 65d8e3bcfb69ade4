package kz.qaqpa.directives.targets;

import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.TargetKind;

/**
 * What a directive restricts, in normalised form: the same resource written two ways is one
 * target. Built only by {@link TargetNormaliser}.
 */
public sealed interface Target permits DomainTarget, UrlTarget, IpTarget, CidrTarget, AppTarget {

    TargetKind kind();

    /** The normalised value, as stored and published: an A-label name, a canonical URL, an address. */
    String value();

    /**
     * The identity of this target in the blocklist: two targets with the same key are the same
     * entry. A domain with all its subdomains is a different entry from the domain alone.
     */
    default String key() {
        return BlocklistKey.of(kind(), value(), false);
    }
}
