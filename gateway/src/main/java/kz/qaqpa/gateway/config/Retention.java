package kz.qaqpa.gateway.config;

import java.time.Duration;

/**
 * How long what is kept is kept. The blocklist change log: the last {@code keepChanges} changes or
 * the last {@code keepFor}, whichever is longer (older serials can only be caught up with by a
 * snapshot). Appellants' personal data: {@code keepAppellants} after their appeal closed.
 */
public record Retention(long keepChanges, Duration keepFor, Duration keepAppellants) {

    public static final Setting<Integer> KEEP_CHANGES = Setting.of("change-log-keep-changes", "N",
            text -> Parse.positive(text, Integer.MAX_VALUE), "1000000", "Changes kept in the blocklist change log at least.");
    public static final Setting<Duration> KEEP_FOR = Setting.of("change-log-keep-for", "DURATION", Parse::duration, "30d",
            "Time changes are kept at least, e.g. 30d.");
    public static final Setting<Duration> KEEP_APPELLANTS = Setting.of("appellant-data-keep-for", "DURATION",
            Parse::duration, "1826d", "Time an appellant's personal data are kept after the appeal closed (5 years).");

    public Retention(long keepChanges, Duration keepFor) {
        this(keepChanges, keepFor, KEEP_APPELLANTS.defaultValue());
    }

    public static Retention defaults() {
        return new Retention(KEEP_CHANGES.defaultValue(), KEEP_FOR.defaultValue(), KEEP_APPELLANTS.defaultValue());
    }
}
