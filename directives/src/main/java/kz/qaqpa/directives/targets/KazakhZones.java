package kz.qaqpa.directives.targets;

import java.util.List;

/**
 * The top-level domains of the Kazakhstan segment of the Internet whose names the .KZ/.ҚАЗ registry
 * registers and may suspend (seed 000 §1): {@code kz} and {@code қаз}, in A-label form as targets are kept.
 */
public final class KazakhZones {

    /** {@code kz}, and {@code қаз} as its A-label. */
    public static final List<String> ZONES = List.of("kz", "xn--80ao21a");

    private KazakhZones() {
    }

    /** Whether {@code name} (A-labels, lower case, no trailing dot) is a name below one of the zones. */
    public static boolean covers(String name) {
        return ZONES.stream().anyMatch(zone -> name.endsWith("." + zone) && name.length() > zone.length() + 1);
    }
}
