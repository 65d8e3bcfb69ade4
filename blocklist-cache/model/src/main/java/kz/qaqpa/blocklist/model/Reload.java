package kz.qaqpa.blocklist.model;

/**
 * The marker a publisher writes after loading a replicated copy of the list whole at
 * {@code serial}: a reader behind it cannot get there change by change and must take a snapshot.
 */
public record Reload(long serial) implements StreamRecord {
}
