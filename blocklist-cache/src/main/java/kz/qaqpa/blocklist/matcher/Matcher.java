package kz.qaqpa.blocklist.matcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The blocklist as the hot path asks it: is this name, host or address restricted, and by which
 * directive? A URL is asked for whole, or for its host alone. Immutable and safe to share between threads; a new blocklist state is a new matcher,
 * swapped in whole, so a look-up never sees a half-applied change.
 *
 * <p>Look-ups of names and addresses allocate nothing and return a directive ordinal ({@link #NO_MATCH} when nothing
 * restricts the query); {@link #directive(int)} turns it into the directive's number for the
 * answer. See {@code DomainTable} and {@code AddressTable} for layout, cost and memory.
 *
 * <p>A small change to a large list need not cost a whole new matcher: {@link #withDomainOverlay}
 * lays a matcher of the changed domain names over this one, the overlay's entry for a name
 * replacing this one's (see {@link Builder#removeDomain}), at the price of one more filter test
 * per label of a query.
 */
public final class Matcher {

    public static final int NO_MATCH = -1;

    private final DomainTable domains;
    private final DomainTable urlHosts;
    /** Restricted URLs in their normal form, to the ordinal of their directive. */
    private final Map<String, Integer> urls;
    private final AddressTable addresses;
    private final String[] directives;
    /** Domain names changed since this matcher was built, or null; its ordinals follow this one's. */
    private final Matcher overlay;

    private Matcher(DomainTable domains, DomainTable urlHosts, Map<String, Integer> urls, AddressTable addresses,
                    String[] directives, Matcher overlay) {
        this.domains = domains;
        this.urlHosts = urlHosts;
        this.urls = urls;
        this.addresses = addresses;
        this.directives = directives;
        this.overlay = overlay;
    }

    public static Builder builder() {
        return new Builder(new DomainTable.Builder());
    }

    /**
     * A builder told beforehand how many domain names it will get and how many octets they make
     * (without trailing dots): it allocates the domain table once at its final size, with no
     * growth and no copies, so that building beside a matcher in use costs no more than the new
     * matcher. Other counts work too, at the price of those copies.
     */
    public static Builder builder(int domainNames, long domainOctets) {
        return new Builder(new DomainTable.Builder(domainNames, domainOctets));
    }

    /**
     * A builder holding what {@code overlay} holds, to change it: the next overlay over the same
     * matcher built whole made from the last one and what changed since, for the price of a copy
     * of the last one's arrays rather than of adding its every name again. {@code overlay} itself
     * does not change.
     *
     * @throws IllegalArgumentException when {@code overlay} holds more than domain names, or has an overlay
     */
    public static Builder builder(Matcher overlay) {
        if (overlay.overlay != null || overlay.urlHosts.size() > 0 || !overlay.urls.isEmpty() || !overlay.addresses.isEmpty()) {
            throw new IllegalArgumentException("only a matcher of domain names alone, an overlay, seeds a builder");
        }
        Builder builder = new Builder(new DomainTable.Builder(overlay.domains));
        for (String directive : overlay.directives) {
            builder.ordinal(directive);
        }
        return builder;
    }

    /**
     * The directive restricting a DNS name: an exact entry for it, or a subtree entry for it or a
     * name above it, the most specific winning. ASCII case-insensitive; a trailing dot is ignored.
     */
    public int matchDomain(CharSequence name) {
        return overlay == null ? domains.match(name) : domains.match(name, overlay.domains, directives.length);
    }

    /** The directive with a URL on this host: a hint for filtering HTTPS, where the path is hidden. */
    public int matchUrlHost(CharSequence host) {
        return urlHosts.match(host);
    }

    /** The directive restricting exactly this URL, given in the normal form intake gives URL targets ({@code UrlForm}). */
    public int matchUrl(String url) {
        Integer ordinal = urls.get(url);
        return ordinal == null ? NO_MATCH : ordinal;
    }

    /** The directive restricting a 4- or 16-byte address, by address or longest network. */
    public int matchAddress(byte[] address) {
        return addresses.match(address);
    }

    /** {@link #matchAddress} without an array: the IPv4 address as an int, most significant octet first. */
    public int matchIpv4(int address) {
        return addresses.match(AddressTable.IPV4_MAPPED_HIGH, AddressTable.IPV4_MAPPED_LOW | Integer.toUnsignedLong(address));
    }

    /** {@link #matchAddress} without an array: the IPv6 address as two longs, most significant first. */
    public int matchIpv6(long high, long low) {
        return addresses.match(high, low);
    }

    /** The number of the directive behind an ordinal that a look-up returned. */
    public String directive(int ordinal) {
        return ordinal < directives.length ? directives[ordinal] : overlay.directives[ordinal - directives.length];
    }

    /**
     * Restricted domain names, with an overlay's changes counted. Counted when asked, not when an
     * overlay is laid: with an overlay it looks up each of the overlay's names here, and a node lays
     * one at every swap but never asks.
     */
    public int domainCount() {
        return domains.size() + (overlay == null ? 0 : overlay.domains.netAddedOver(domains));
    }

    /**
     * This matcher's domains with {@code changed} laid over them: for every domain name
     * {@code changed} holds (restricted, or removed with {@link Builder#removeDomain}), its entry
     * there replaces this one's. URL hosts and addresses are this matcher's. A matcher that has an
     * overlay takes no second one: lay the next over the matcher built whole.
     */
    public Matcher withDomainOverlay(Matcher changed) {
        if (overlay != null || changed.overlay != null) {
            throw new IllegalStateException("an overlay goes over a matcher built whole");
        }
        return new Matcher(domains, urlHosts, urls, addresses, directives, changed);
    }

    /** Collects entries; directive numbers are interned, so each is stored once. */
    public static final class Builder {

        private final DomainTable.Builder domains;
        private final DomainTable.Builder urlHosts = new DomainTable.Builder();
        private final Map<String, Integer> urls = new HashMap<>();
        private final AddressTable.Builder addresses = new AddressTable.Builder();
        private final Map<String, Integer> ordinals = new HashMap<>();
        private final List<String> directives = new ArrayList<>();

        private Builder(DomainTable.Builder domains) {
            this.domains = domains;
        }

        /** A restricted name (lower-case A-label, no trailing dot), alone or with everything below it. */
        public Builder addDomain(String name, boolean includeSubdomains, String directive) {
            domains.add(name, includeSubdomains, ordinal(directive));
            return this;
        }

        /**
         * In an overlay: the name is not restricted, neither alone nor with its subdomains, whatever
         * was added for it before; what is added for it afterwards is.
         */
        public Builder removeDomain(String name) {
            domains.mask(name);
            return this;
        }

        /** A restricted URL in its normal form, on its host. */
        public Builder addUrl(String url, String host, String directive) {
            int ordinal = ordinal(directive);
            urlHosts.add(host, false, ordinal);
            urls.put(url, ordinal);
            return this;
        }

        /** A restricted address (prefix 32 or 128) or network. */
        public Builder addNetwork(byte[] address, int prefixLength, String directive) {
            addresses.add(address, prefixLength, ordinal(directive));
            return this;
        }

        public Matcher build() {
            return new Matcher(domains.build(), urlHosts.build(), Map.copyOf(urls), addresses.build(),
                    directives.toArray(String[]::new), null);
        }

        private int ordinal(String directive) {
            return ordinals.computeIfAbsent(directive, number -> {
                directives.add(number);
                return directives.size() - 1;
            });
        }
    }
}
