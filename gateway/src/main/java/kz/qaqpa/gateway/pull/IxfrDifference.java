package kz.qaqpa.gateway.pull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.pull.FeedFormat;

/**
 * One IXFR difference sequence (RFC 1995) of the policy zone, from a serial the change log still
 * reaches to the head, worked out from the log: a record no target made at the client's serial and
 * one makes at the head is added, one a target made then and none makes now is deleted.
 *
 * <p>A record can have several makers ({@code name CNAME .} is made by {@code name} alone and with
 * its subdomains; an address's {@code rpz-ip} trigger by the address and by its full-length
 * network), so it is present when any of them is, and added or deleted once. Only the changed
 * targets' records are looked at; the state of their other makers at the head comes from the
 * changes after the head when there are some (changes go on landing while this runs) and otherwise
 * from the current set, in one batched query.
 *
 * @param deleted the owner names of the records to delete, relative to the zone's origin
 * @param added   the owner names of the records to add
 */
record IxfrDifference(List<String> deleted, List<String> added) {

    /** The difference from {@code from} to {@code head}; the caller has checked the log reaches back to {@code from}. */
    static IxfrDifference between(DataSource dataSource, long from, long head) throws Exception {
        // The fate of each target changed between the client's serial and head: present before, present after.
        Changed changed = changed(dataSource, from, head);
        Map<String, boolean[]> fates = changed.fates();
        // Targets changed since head: their state at head is the one before those changes.
        Map<String, boolean[]> later = changed(dataSource, head, Long.MAX_VALUE).fates();
        // Each record a changed target makes, and the targets that make it.
        Map<String, List<String>> makers = new LinkedHashMap<>();
        for (BlocklistEntry entry : changed.targets().values()) {
            for (String owner : FeedFormat.rpzOwners(entry)) {
                makers.computeIfAbsent(owner, ignored -> FeedFormat.rpzMakers(entry, owner));
            }
        }
        // A maker unchanged between the client's serial and head was then as it was at head.
        Set<String> unknown = new HashSet<>();
        makers.values().forEach(keys -> keys.stream()
                .filter(key -> !fates.containsKey(key) && !later.containsKey(key)).forEach(unknown::add));
        Set<String> current = ChangeLog.restrictedAmong(dataSource, unknown);
        List<String> deleted = new ArrayList<>();
        List<String> added = new ArrayList<>();
        makers.forEach((owner, keys) -> {
            boolean before = false;
            boolean after = false;
            for (String key : keys) {
                boolean atHead = fates.containsKey(key) ? fates.get(key)[1]
                        : later.containsKey(key) ? later.get(key)[0] : current.contains(key);
                before |= fates.containsKey(key) ? fates.get(key)[0] : atHead;
                after |= atHead;
            }
            if (before && !after) {
                deleted.add(owner);
            } else if (!before && after) {
                added.add(owner);
            }
        });
        return new IxfrDifference(List.copyOf(deleted), List.copyOf(added));
    }

    /** The targets changed after one serial up to another, each with its presence before and after, by key. */
    private record Changed(Map<String, boolean[]> fates, Map<String, BlocklistEntry> targets) {
    }

    private static Changed changed(DataSource dataSource, long after, long upTo) throws Exception {
        Map<String, boolean[]> fates = new LinkedHashMap<>();
        Map<String, BlocklistEntry> targets = new LinkedHashMap<>();
        ChangeLog.forEachChange(dataSource, after, upTo, change -> {
            boolean[] fate = fates.computeIfAbsent(change.key(), key -> new boolean[] {change.operation() != Operation.ADD, false});
            fate[1] = change.restricts();
            targets.put(change.key(), new BlocklistEntry(change.kind(), change.value(), change.includeSubdomains(),
                    change.host(), change.directive(), change.serial()));
        });
        return new Changed(fates, targets);
    }
}
