package kz.qaqpa.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.directives.targets.CollateralGuard;

/**
 * Bounds on one submitted directive.
 *
 * @param maxDirectiveBytes    largest request body accepted (default 1 MiB)
 * @param maxTargets           most targets one directive may carry (default 100,000)
 * @param widestIpv4Prefix     the shortest IPv4 prefix a RESTRICT may name unacknowledged (default /16)
 * @param widestIpv6Prefix     the shortest IPv6 prefix a RESTRICT may name unacknowledged (default /32)
 * @param sharedInfrastructure addresses and networks of shared infrastructure a RESTRICT may touch only acknowledged
 */
public record IntakeLimits(int maxDirectiveBytes, int maxTargets, int widestIpv4Prefix, int widestIpv6Prefix,
                           Optional<Path> sharedInfrastructure) {

    public static final Setting<Integer> MAX_DIRECTIVE_BYTES = Setting.of("max-directive-bytes", "BYTES",
            text -> Parse.positive(text, 64 << 20), String.valueOf(1 << 20), "Largest directive request accepted.");
    public static final Setting<Integer> MAX_TARGETS = Setting.of("max-targets", "N",
            text -> Parse.positive(text, 10_000_000), "100000", "Most targets in one directive.");
    public static final Setting<Integer> WIDEST_IPV4_PREFIX = Setting.of("widest-ipv4-prefix", "BITS",
            text -> Parse.positive(text, 32), String.valueOf(CollateralGuard.DEFAULT_WIDEST_IPV4_PREFIX),
            "A RESTRICT of a wider IPv4 network must acknowledge it (acknowledgeCollateral).");
    public static final Setting<Integer> WIDEST_IPV6_PREFIX = Setting.of("widest-ipv6-prefix", "BITS",
            text -> Parse.positive(text, 128), String.valueOf(CollateralGuard.DEFAULT_WIDEST_IPV6_PREFIX),
            "A RESTRICT of a wider IPv6 network must acknowledge it.");
    public static final Setting<Path> SHARED_INFRASTRUCTURE_FILE = Setting.optional("shared-infrastructure-file", "FILE",
            Parse::readableFile, "Addresses and networks of shared infrastructure (CDNs, hosting), one a line:"
                    + " a RESTRICT touching one must acknowledge it.");
    public static final int DEFAULT_MAX_DIRECTIVE_BYTES = MAX_DIRECTIVE_BYTES.defaultValue();
    public static final int DEFAULT_MAX_TARGETS = MAX_TARGETS.defaultValue();

    public IntakeLimits(int maxDirectiveBytes, int maxTargets) {
        this(maxDirectiveBytes, maxTargets, CollateralGuard.DEFAULT_WIDEST_IPV4_PREFIX,
                CollateralGuard.DEFAULT_WIDEST_IPV6_PREFIX, Optional.empty());
    }

    public static IntakeLimits defaults() {
        return new IntakeLimits(DEFAULT_MAX_DIRECTIVE_BYTES, DEFAULT_MAX_TARGETS);
    }

    /** The guard these limits describe, its shared-infrastructure file read now. */
    public CollateralGuard collateralGuard() {
        return new CollateralGuard(widestIpv4Prefix, widestIpv6Prefix,
                sharedInfrastructure.map(CollateralGuard::readShared).orElse(List.of()));
    }
}
