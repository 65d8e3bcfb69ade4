package kz.qaqpa.directives.targets;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Refuses a restriction that would cut off far more than one resource — a name the registry holds
 * for the state, a network wider than configured, shared infrastructure (CDN ranges and the like,
 * from a file the operator maintains) — unless the signed directive acknowledges that target by
 * name ({@code acknowledgeCollateral}). A top-level domain is never a target at all
 * ({@link TargetNormaliser} refuses a single label). The rules are not in the seeds; they are the
 * safeguard a state-wide blocklist owes everyone else on the same names and addresses.
 */
public final class CollateralGuard {

    /** Which rule a target breaks; its name is what problem details and the README call it. */
    public enum Rule {
        RESERVED_NAME,
        WIDE_NETWORK,
        SHARED_INFRASTRUCTURE;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A target and the rule it breaks, said for the authority. */
    public record Finding(Rule rule, String detail) {
    }

    public static final int DEFAULT_WIDEST_IPV4_PREFIX = 16;
    public static final int DEFAULT_WIDEST_IPV6_PREFIX = 32;

    /**
     * Second-level names the registry holds for the state: seed 000 §29 (.KZ) and seed 001 §1.2
     * (.ҚАЗ, where "БІЛ" is written with the Kazakh І — the seed's own text has a Latin I).
     */
    private static final Set<String> RESERVED = Stream.of("edu.kz", "gov.kz", "mil.kz",
                    "мем.қаз", "біл.қаз", "ком.қаз", "қау.қаз", "қор.қаз", "бай.қаз")
            .map(name -> TargetNormaliser.domain(name, false).name())
            .collect(Collectors.toUnmodifiableSet());

    private final int widestIpv4Prefix;
    private final int widestIpv6Prefix;
    private final List<IPAddress> shared;

    /**
     * @param widestIpv4Prefix the shortest IPv4 prefix restricted without an acknowledgement
     * @param widestIpv6Prefix the shortest IPv6 prefix restricted without an acknowledgement
     * @param shared           shared infrastructure: addresses and networks no target may touch unacknowledged
     */
    public CollateralGuard(int widestIpv4Prefix, int widestIpv6Prefix, List<String> shared) {
        if (widestIpv4Prefix < 0 || widestIpv4Prefix > 32 || widestIpv6Prefix < 0 || widestIpv6Prefix > 128) {
            throw new IllegalArgumentException("prefix lengths are 0–32 (IPv4) and 0–128 (IPv6)");
        }
        this.widestIpv4Prefix = widestIpv4Prefix;
        this.widestIpv6Prefix = widestIpv6Prefix;
        this.shared = shared.stream().map(CollateralGuard::network).toList();
    }

    /** /16 for IPv4, /32 for IPv6, no shared infrastructure listed. */
    public static CollateralGuard defaults() {
        return new CollateralGuard(DEFAULT_WIDEST_IPV4_PREFIX, DEFAULT_WIDEST_IPV6_PREFIX, List.of());
    }

    /**
     * Reads a shared-infrastructure file: one address or network a line ({@code 192.0.2.0/24},
     * {@code 2001:db8::/32}); blank lines and text after {@code #} are ignored.
     *
     * @throws IllegalArgumentException naming the first line that is neither
     */
    public static List<String> readShared(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<String> networks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String entry = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                network(entry);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": '" + entry + "' is no address or network");
            }
            networks.add(entry);
        }
        return networks;
    }

    /** The rule this target breaks, if any. */
    public Optional<Finding> check(Target target) {
        if (target instanceof DomainTarget domain) {
            if (RESERVED.contains(domain.name())) {
                return finding(Rule.RESERVED_NAME, domain.name() + " is held by the registry for the state"
                        + " (seed 000 §29, seed 001 §1.2)");
            }
        } else if (target instanceof CidrTarget cidr) {
            IPAddress network = network(cidr.value());
            int widest = network.isIPv4() ? widestIpv4Prefix : widestIpv6Prefix;
            if (cidr.prefixLength() < widest) {
                return finding(Rule.WIDE_NETWORK, cidr.value() + " is wider than /" + widest);
            }
            return sharedWith(network, cidr.value());
        } else if (target instanceof IpTarget ip) {
            return sharedWith(network(ip.value()), ip.value());
        }
        return Optional.empty();
    }

    private Optional<Finding> sharedWith(IPAddress target, String value) {
        for (IPAddress network : shared) {
            if (network.contains(target) || target.contains(network)) {
                return finding(Rule.SHARED_INFRASTRUCTURE, value + " touches shared infrastructure "
                        + network.toCanonicalString());
            }
        }
        return Optional.empty();
    }

    private static Optional<Finding> finding(Rule rule, String what) {
        return Optional.of(new Finding(rule, rule.label() + ": " + what
                + "; a directive that means it says so in acknowledgeCollateral"));
    }

    /**
     * An acknowledgement in the form targets' values take, so that {@code мем.қаз},
     * {@code МЕМ.ҚАЗ.} and {@code xn--e1anb.xn--80ao21a} acknowledge the same target.
     *
     * @throws InvalidTargetException when it is no name, address or network
     */
    public static String acknowledgement(String text) {
        if (text.indexOf('/') >= 0) {
            return TargetNormaliser.cidr(text).value();
        }
        try {
            return TargetNormaliser.ip(text).value();
        } catch (InvalidTargetException notAnAddress) {
            return TargetNormaliser.domain(text, false).name();
        }
    }

    private static IPAddress network(String text) {
        IPAddress address = new IPAddressString(text).getAddress();
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is no address or network");
        }
        return address.toPrefixBlock();
    }
}
