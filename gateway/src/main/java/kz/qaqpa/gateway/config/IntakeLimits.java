package kz.qaqpa.gateway.config;

/**
 * Bounds on one submitted directive.
 *
 * @param maxDirectiveBytes largest request body accepted (default 1 MiB)
 * @param maxTargets        most targets one directive may carry (default 100,000)
 */
public record IntakeLimits(int maxDirectiveBytes, int maxTargets) {

    public static final Setting<Integer> MAX_DIRECTIVE_BYTES = Setting.of("max-directive-bytes", "BYTES",
            text -> Parse.positive(text, 64 << 20), String.valueOf(1 << 20), "Largest directive request accepted.");
    public static final Setting<Integer> MAX_TARGETS = Setting.of("max-targets", "N",
            text -> Parse.positive(text, 10_000_000), "100000", "Most targets in one directive.");
    public static final int DEFAULT_MAX_DIRECTIVE_BYTES = MAX_DIRECTIVE_BYTES.defaultValue();
    public static final int DEFAULT_MAX_TARGETS = MAX_TARGETS.defaultValue();

    public static IntakeLimits defaults() {
        return new IntakeLimits(DEFAULT_MAX_DIRECTIVE_BYTES, DEFAULT_MAX_TARGETS);
    }
}
