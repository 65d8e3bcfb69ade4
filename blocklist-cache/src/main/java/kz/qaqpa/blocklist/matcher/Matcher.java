package kz.qaqpa.blocklist.matcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocklist as the hot path asks it: is this name, host or address restricted, and by which
 * directive? Immutable and safe to share between threads; a new blocklist state is a new matcher,
 * swapped in whole, so a look-up never sees a half-applied change.
 *
 * <p>Look-ups allocate nothing and return a directive ordinal ({@link #NO_MATCH} when nothing
 * restricts the query); {@link #directive(int)} turns it into the directive's number for the
 * answer. See {@code DomainTable} and {@code AddressTable} for layout, cost and memory.
 */
public final class Matcher {

    public static final int NO_MATCH = -1;

    private final DomainTable domains;
    private final DomainTable urlHosts;
    private final AddressTable addresses;
    private final String[] directives;

    private Matcher(DomainTable domains, DomainTable urlHosts, AddressTable addresses, String[] directives) {
        this.domains = domains;
        this.urlHosts = urlHosts;
        this.addresses = addresses;
        this.directives = directives;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The directive restricting a DNS name: an exact entry for it, or a subtree entry for it or a
     * name above it, the most specific winning. ASCII case-insensitive; a trailing dot is ignored.
     */
    public int matchDomain(CharSequence name) {
        return domains.match(name);
    }

    /** The directive with a URL on this host: a hint for filtering HTTPS, where the path is hidden. */
    public int matchUrlHost(CharSequence host) {
        return urlHosts.match(host);
    }

    /** The directive restricting a 4- or 16-byte address, by address or longest network. */
    public int matchAddress(byte[] address) {
        return addresses.match(address);
    }

    /** The number of the directive behind an ordinal that a look-up returned. */
    public String directive(int ordinal) {
        return directives[ordinal];
    }

    public int domainCount() {
        return domains.size();
    }

    /** Collects entries; directive numbers are interned, so each is stored once. */
    public static final class Builder {

        private final DomainTable.Builder domains = new DomainTable.Builder();
        private final DomainTable.Builder urlHosts = new DomainTable.Builder();
        private final AddressTable.Builder addresses = new AddressTable.Builder();
        private final Map<String, Integer> ordinals = new HashMap<>();
        private final List<String> directives = new ArrayList<>();

        /** A restricted name (lower-case A-label, no trailing dot), alone or with everything below it. */
        public Builder addDomain(String name, boolean includeSubdomains, String directive) {
            domains.add(name, includeSubdomains, ordinal(directive));
            return this;
        }

        /** The host of a restricted URL. */
        public Builder addUrlHost(String host, String directive) {
            urlHosts.add(host, false, ordinal(directive));
            return this;
        }

        /** A restricted address (prefix 32 or 128) or network. */
        public Builder addNetwork(byte[] address, int prefixLength, String directive) {
            addresses.add(address, prefixLength, ordinal(directive));
            return this;
        }

        public Matcher build() {
            return new Matcher(domains.build(), urlHosts.build(), addresses.build(), directives.toArray(String[]::new));
        }

        private int ordinal(String directive) {
            return ordinals.computeIfAbsent(directive, number -> {
                directives.add(number);
                return directives.size() - 1;
            });
        }
    }
}
