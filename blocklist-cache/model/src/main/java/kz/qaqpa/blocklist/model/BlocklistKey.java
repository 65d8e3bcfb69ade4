package kz.qaqpa.blocklist.model;

/**
 * A target's blocklist key: its identity in the change log, the cluster's map and the feeds. One
 * target, one key: {@code KIND:value}, and a domain restricted with every name below it
 * {@code DOMAIN:*.name} — a different target from the name alone, so that a directive may restrict
 * {@code casino.kz} and another {@code *.casino.kz}, and restoring one leaves the other.
 */
public final class BlocklistKey {

    private static final String SUBDOMAINS = "*.";

    private BlocklistKey() {
    }

    /** The key of a target of {@code kind} with this normalised value. */
    public static String of(TargetKind kind, String value, boolean includeSubdomains) {
        return kind == TargetKind.DOMAIN ? domain(value, includeSubdomains) : kind.name() + ":" + value;
    }

    /** What a key names: the arguments {@link #of} made it from. */
    public record Target(TargetKind kind, String value, boolean includeSubdomains) {
    }

    /** The target {@code key} names; IllegalArgumentException when it is no key. */
    public static Target parse(String key) {
        int colon = key.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a blocklist key: " + key);
        }
        TargetKind kind = TargetKind.valueOf(key.substring(0, colon));
        String value = key.substring(colon + 1);
        boolean subtree = kind == TargetKind.DOMAIN && value.startsWith(SUBDOMAINS);
        return new Target(kind, subtree ? value.substring(SUBDOMAINS.length()) : value, subtree);
    }

    /** The key of a domain name, alone or with every name below it. */
    public static String domain(String name, boolean includeSubdomains) {
        return TargetKind.DOMAIN.name() + ":" + (includeSubdomains ? SUBDOMAINS + name : name);
    }

    /** What the database indexes and the canonical snapshot is ordered by: the key's SHA-256, the same in every locale. */
    public static String sha256(String key) {
        return Sha256.hex(key);
    }
}
