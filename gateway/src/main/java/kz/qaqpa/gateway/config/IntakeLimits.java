package kz.qaqpa.gateway.config;

/**
 * Bounds on one submitted directive.
 *
 * @param maxDirectiveBytes largest request body accepted (default 1 MiB)
 * @param maxTargets        most targets one directive may carry (default 100,000)
 */
public record IntakeLimits(int maxDirectiveBytes, int maxTargets) {

    public static final int DEFAULT_MAX_DIRECTIVE_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_TARGETS = 100_000;

    public static IntakeLimits defaults() {
        return new IntakeLimits(DEFAULT_MAX_DIRECTIVE_BYTES, DEFAULT_MAX_TARGETS);
    }
}
