package kz.qaqpa.gateway.config;

import java.time.Duration;

/**
 * How much of the blocklist change log is kept: the last {@code keepChanges} changes or the last
 * {@code keepFor}, whichever is longer. Older serials can only be caught up with by a snapshot.
 */
public record Retention(long keepChanges, Duration keepFor) {

    public static Retention defaults() {
        return new Retention(1_000_000, Duration.ofDays(30));
    }
}
