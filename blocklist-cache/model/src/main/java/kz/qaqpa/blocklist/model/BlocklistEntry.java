package kz.qaqpa.blocklist.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One restricted target of the current set, as the change log holds it and the feeds show it.
 *
 * @param kind              what kind of target
 * @param value             its normalised value
 * @param includeSubdomains for a domain, whether every name below it is restricted too
 * @param host              for a URL, its host
 * @param directive         the number of the directive it is enforced under
 * @param since             the serial at which it entered the set
 */
public record BlocklistEntry(TargetKind kind, String value, boolean includeSubdomains, Optional<String> host,
                             String directive, long since) {

    public BlocklistEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(directive, "directive");
    }

    /** Its blocklist key. */
    public String key() {
        return BlocklistKey.of(kind, value, includeSubdomains);
    }

    /** The order of the canonical snapshot: by the SHA-256 of the key, the same in every database and locale. */
    public String order() {
        return BlocklistKey.sha256(key());
    }
}
