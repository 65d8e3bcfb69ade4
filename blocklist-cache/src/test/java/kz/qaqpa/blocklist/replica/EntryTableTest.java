package kz.qaqpa.blocklist.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.TargetKind;
import org.junit.jupiter.api.Test;

/** The node's compact copy of the set agrees with a plain map through any sequence of changes. */
class EntryTableTest {

    @Test
    void agreesWithAMapThroughAdditionsUpdatesAndRemovals() {
        Random random = new Random(20261205);
        EntryTable table = new EntryTable();
        Map<String, String> expected = new HashMap<>();
        // Few keys, many changes: every slot is filled, emptied and shifted into many times, the
        // table grows and runs full of runs, and the arena is reclaimed again and again. Mostly
        // names, some URLs (long ones, not ASCII ones) and addresses.
        for (int step = 0; step < 200_000; step++) {
            int n = random.nextInt(3_000);
            BlocklistChange change = randomChange(random, n, step + 1, expected);
            String before = change.restricts() ? expected.put(change.key(), change.directive()) : expected.remove(change.key());
            assertEquals(before, table.apply(change), "what the change replaced, at step " + step);
            assertEquals(expected.size(), table.size());
            if (step % 1_000 == 0) {
                assertSameEntries(expected, table);
            }
        }
        assertSameEntries(expected, table);
        for (int n = 0; n < 3_000; n++) {
            String key = BlocklistKey.domain("name" + n + (n % 3 == 0 ? ".xn--80ao21a" : ".kz"), false);
            assertEquals(expected.get(key), table.directive(key), key);
        }
    }

    private static BlocklistChange randomChange(Random random, int n, long serial, Map<String, String> expected) {
        String directive = "D-" + random.nextInt(50);
        int kind = random.nextInt(10);
        TargetKind target = kind < 7 ? TargetKind.DOMAIN : kind < 9 ? TargetKind.URL : TargetKind.IP;
        boolean subtree = target == TargetKind.DOMAIN && random.nextBoolean();
        String value = switch (target) {
            case DOMAIN -> "name" + n + (n % 3 == 0 ? ".xn--80ao21a" : ".kz");
            // up to about 18,000 octets: lengths written in one, two and three octets
            case URL -> "http://казино.kz/" + "п".repeat(n % 7 == 0 ? 3 * n : n % 100) + "?x=" + n;
            default -> "203.0." + (n >> 8) + "." + (n & 0xff);
        };
        Optional<String> host = target == TargetKind.URL ? Optional.of("xn--80aaa1bhr.kz") : Optional.empty();
        String key = BlocklistKey.of(target, value, subtree);
        Operation operation = random.nextInt(3) == 0 ? Operation.REMOVE
                : expected.containsKey(key) ? Operation.UPDATE : Operation.ADD;
        return new BlocklistChange(serial, operation, target, value, subtree, host, directive);
    }

    @Test
    void emptiedHoldsNoEntryAndNoDirective() {
        EntryTable table = new EntryTable();
        for (int i = 0; i < 10_000; i++) {
            table.apply(change(Operation.ADD, "n" + i + ".kz", "D-" + i));
        }
        for (int i = 0; i < 10_000; i++) {
            assertEquals("D-" + i, table.apply(change(Operation.REMOVE, "n" + i + ".kz", "R-" + i)));
        }
        assertEquals(0, table.size());
        assertEquals(0, table.citedDirectives(), "a directive no entry cites is not kept");
        table.forEach((key, directive) -> {
            throw new AssertionError("an entry left: " + key);
        });
        assertNull(table.directive(BlocklistKey.domain("n1.kz", false)));
    }

    @Test
    void aDirectivesNumberIsHeldOnceWhileEntriesCiteIt() {
        EntryTable table = new EntryTable();
        for (int i = 0; i < 1_000; i++) {
            table.apply(change(Operation.ADD, "n" + i + ".kz", "RESTRICT-" + (i % 10)));
        }
        assertEquals(10, table.citedDirectives());
        for (int i = 0; i < 1_000; i += 10) { // every entry citing RESTRICT-0 moves to RESTRICT-NEW
            table.apply(change(Operation.UPDATE, "n" + i + ".kz", "RESTRICT-NEW"));
        }
        assertEquals(10, table.citedDirectives(), "RESTRICT-0 gone, RESTRICT-NEW in");
        assertEquals("RESTRICT-NEW", table.directive(BlocklistKey.domain("n0.kz", false)));
        assertEquals("RESTRICT-1", table.directive(BlocklistKey.domain("n1.kz", false)));
    }

    @Test
    void aDirectiveBeyondTheOrdinalsItCanHoldIsRefusedAndChangesNothing() {
        EntryTable table = new EntryTable(2);
        table.apply(change(Operation.ADD, "a.kz", "RESTRICT-1"));
        table.apply(change(Operation.ADD, "b.kz", "RESTRICT-2"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> table.apply(change(Operation.UPDATE, "a.kz", "RESTRICT-3")));
        assertTrue(refused.getMessage().contains("2 directives"), refused.getMessage());
        assertEquals("RESTRICT-1", table.directive(BlocklistKey.domain("a.kz", false)), "a.kz still under its directive");
        assertEquals(2, table.citedDirectives());
        // RESTRICT-1 still counts a.kz: moving b.kz to it leaves RESTRICT-2 uncited, and its ordinal free.
        table.apply(change(Operation.UPDATE, "b.kz", "RESTRICT-1"));
        assertEquals(1, table.citedDirectives());
        table.apply(change(Operation.ADD, "c.kz", "RESTRICT-3"));
        assertEquals("RESTRICT-3", table.directive(BlocklistKey.domain("c.kz", false)));
        assertEquals("RESTRICT-1", table.directive(BlocklistKey.domain("a.kz", false)));
    }

    @Test
    void keepsAUrlsHostUntilTheUrlGoes() {
        EntryTable table = new EntryTable();
        BlocklistChange url = new BlocklistChange(1, Operation.ADD, TargetKind.URL, "http://казино.kz/игра?x=1", false,
                Optional.of("xn--80aaa1bhr.kz"), "D-1");
        table.apply(url);
        assertEquals(Optional.of("xn--80aaa1bhr.kz"), table.host(url.key()));
        Map<String, String> seen = new HashMap<>();
        table.forEach(seen::put);
        assertEquals(Map.of(url.key(), "D-1"), seen, "a key that is not ASCII comes back as it went in");
        table.apply(new BlocklistChange(2, Operation.REMOVE, TargetKind.URL, url.value(), false, Optional.empty(), "R-1"));
        assertTrue(table.host(url.key()).isEmpty());
    }

    private static void assertSameEntries(Map<String, String> expected, EntryTable table) {
        Map<String, String> actual = new HashMap<>();
        table.forEach((key, directive) -> assertNull(actual.put(key, directive), "twice: " + key));
        assertEquals(expected, actual);
        List<BlocklistKey.Target> domains = expected.keySet().stream().map(BlocklistKey::parse)
                .filter(target -> target.kind() == TargetKind.DOMAIN).toList();
        assertEquals(domains.size(), table.domainKeys(), "domain keys, which size a matcher's builder");
        assertEquals(domains.stream().mapToLong(target -> target.value().length()).sum(), table.domainOctets());
    }

    private static BlocklistChange change(Operation operation, String name, String directive) {
        return new BlocklistChange(0, operation, TargetKind.DOMAIN, name, false, Optional.empty(), directive);
    }
}
