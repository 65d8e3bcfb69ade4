package kz.qaqpa.blocklist.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One committed change of the set of restricted targets — the one shape the change log, the
 * cluster's stream and the operators' feed of changes share.
 *
 * @param serial            its place in the change log; serials have no gaps
 * @param operation         what it does to the target
 * @param kind              what kind of target
 * @param value             its normalised value
 * @param includeSubdomains for a domain, whether every name below it is restricted too
 * @param host              for a URL, its host
 * @param directive         ADD and UPDATE: the number of the directive the target is enforced under
 *                          from this serial on; REMOVE: the RESTORE that lifted it
 */
public record BlocklistChange(long serial, Operation operation, TargetKind kind, String value, boolean includeSubdomains,
                              Optional<String> host, String directive) {

    public BlocklistChange {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(directive, "directive");
    }

    /** The entry an ADD makes of a target already in the set as {@code entry}, at the serial it entered. */
    public static BlocklistChange adding(BlocklistEntry entry) {
        return new BlocklistChange(entry.since(), Operation.ADD, entry.kind(), entry.value(), entry.includeSubdomains(),
                entry.host(), entry.directive());
    }

    /** Its target's blocklist key. */
    public String key() {
        return BlocklistKey.of(kind, value, includeSubdomains);
    }

    /** Whether the target is restricted once this change is applied. */
    public boolean restricts() {
        return operation.restricts();
    }

    /**
     * The entry as this change leaves it, or empty when it removes it; {@code before} is the entry
     * before the change (an UPDATE keeps the serial the target entered at).
     */
    public Optional<BlocklistEntry> applyTo(Optional<BlocklistEntry> before) {
        return switch (operation) {
            case ADD -> Optional.of(new BlocklistEntry(kind, value, includeSubdomains, host, directive, serial));
            case UPDATE -> Optional.of(new BlocklistEntry(kind, value, includeSubdomains, host, directive,
                    before.map(BlocklistEntry::since).orElse(serial)));
            case REMOVE -> Optional.empty();
        };
    }
}
