package kz.qaqpa.gateway.config;

import java.time.Duration;

/**
 * How much of the blocklist change log is kept: the last {@code keepChanges} changes or the last
 * {@code keepFor}, whichever is longer. Older serials can only be caught up with by a snapshot.
 */
public record Retention(long keepChanges, Duration keepFor) {

    public static final Setting<Integer> KEEP_CHANGES = Setting.of("change-log-keep-changes", "N",
            text -> Parse.positive(text, Integer.MAX_VALUE), "1000000", "Changes kept in the blocklist change log at least.");
    public static final Setting<Duration> KEEP_FOR = Setting.of("change-log-keep-for", "DURATION", Parse::duration, "30d",
            "Time changes are kept at least, e.g. 30d.");

    public static Retention defaults() {
        return new Retention(KEEP_CHANGES.defaultValue(), KEEP_FOR.defaultValue());
    }
}
