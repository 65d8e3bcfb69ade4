package kz.qaqpa.blocklist.replica;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.TargetKind;

/**
 * A filtering node's own copy of the restricted set, kept small: what the node needs of an entry is
 * its key, the directive it is enforced under and, for a URL, its host — so each entry is its key's
 * UTF-8 bytes and an ordinal into the directives the copy cites, in one open-addressed table
 * (linear probing, at most two thirds full, deletion by shifting back: no tombstones). About 56
 * bytes an entry for a short domain name, where a map of keys to change records took about 280.
 *
 * <p>A directive's number is held once, with a count of the entries that cite it; an ordinal no
 * entry cites any more is given to the next new directive, so the table never holds more numbers
 * than it has entries. URL hosts, rare beside names, are kept in a map of their own.
 *
 * <p>Not thread-safe: one replica's follower owns it.
 */
final class EntryTable {

    /** What {@link #forEach} hands over: an entry's key and its directive's number. */
    interface EntryConsumer {
        void accept(String key, String directive);
    }

    private static final int MIN_CAPACITY = 16;

    private byte[][] keys = new byte[MIN_CAPACITY][];
    /** The ordinal of each slot's directive. */
    private int[] cites = new int[MIN_CAPACITY];
    private int size;
    private final List<String> directives = new ArrayList<>();
    private final Map<String, Integer> ordinals = new HashMap<>();
    /** How many entries cite each ordinal. */
    private int[] citing = new int[8];
    private final Deque<Integer> unused = new ArrayDeque<>();
    private final Map<String, String> urlHosts = new HashMap<>();

    /** The number of the directive the entry under {@code key} is enforced under; null when there is none. */
    String directive(String key) {
        int slot = slotOf(bytes(key));
        return keys[slot] == null ? null : directives.get(cites[slot]);
    }

    /** The host of the URL entry under {@code key}. */
    Optional<String> host(String key) {
        return Optional.ofNullable(urlHosts.get(key));
    }

    /**
     * The entry as {@code change} leaves it: put when it restricts, taken out otherwise. Returns the
     * directive of the entry it replaced or took out; null when there was none.
     */
    String apply(BlocklistChange change) {
        String key = change.key();
        byte[] encoded = bytes(key);
        int slot = slotOf(encoded);
        String before = keys[slot] == null ? null : directives.get(cites[slot]);
        if (before != null) {
            release(cites[slot]);
        }
        if (change.restricts()) {
            cites[slot] = cite(change.directive());
            if (keys[slot] == null) {
                keys[slot] = encoded;
                if (++size * 3 > keys.length * 2) {
                    resize(keys.length * 2);
                }
            }
            if (change.kind() == TargetKind.URL) {
                urlHosts.put(key, change.host().orElse(null));
            }
        } else if (before != null) {
            removeAt(slot);
            size--;
            urlHosts.remove(key);
        }
        return before;
    }

    int size() {
        return size;
    }

    /** How many directives' numbers the table holds: those its entries cite, no more. */
    int citedDirectives() {
        return ordinals.size();
    }

    /** Every entry, in no particular order. */
    void forEach(EntryConsumer consumer) {
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != null) {
                consumer.accept(new String(keys[slot], StandardCharsets.UTF_8), directives.get(cites[slot]));
            }
        }
    }

    private int slotOf(byte[] key) {
        int mask = keys.length - 1;
        for (int slot = home(key, mask); ; slot = (slot + 1) & mask) {
            if (keys[slot] == null || Arrays.equals(keys[slot], key)) {
                return slot;
            }
        }
    }

    /** Empties {@code slot}, moving back every entry of the run after it that may sit there (Knuth 6.4, algorithm R). */
    private void removeAt(int slot) {
        int mask = keys.length - 1;
        int hole = slot;
        for (int next = (hole + 1) & mask; keys[next] != null; next = (next + 1) & mask) {
            int home = home(keys[next], mask);
            if (((next - home) & mask) >= ((next - hole) & mask)) { // the hole lies on its probe path
                keys[hole] = keys[next];
                cites[hole] = cites[next];
                hole = next;
            }
        }
        keys[hole] = null;
    }

    private void resize(int capacity) {
        byte[][] oldKeys = keys;
        int[] oldCites = cites;
        keys = new byte[capacity][];
        cites = new int[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = slotOf(oldKeys[i]);
                keys[slot] = oldKeys[i];
                cites[slot] = oldCites[i];
            }
        }
    }

    private int cite(String directive) {
        Integer known = ordinals.get(directive);
        int ordinal;
        if (known != null) {
            ordinal = known;
        } else if (!unused.isEmpty()) {
            ordinal = unused.pop();
            directives.set(ordinal, directive);
            ordinals.put(directive, ordinal);
        } else {
            ordinal = directives.size();
            directives.add(directive);
            ordinals.put(directive, ordinal);
            if (ordinal == citing.length) {
                citing = Arrays.copyOf(citing, 2 * ordinal);
            }
        }
        citing[ordinal]++;
        return ordinal;
    }

    private void release(int ordinal) {
        if (--citing[ordinal] == 0) {
            ordinals.remove(directives.set(ordinal, null));
            unused.push(ordinal);
        }
    }

    private static int home(byte[] key, int mask) {
        int hash = Arrays.hashCode(key) * 0x9E3779B9; // spread: names that differ in their last bytes land apart
        return (hash ^ (hash >>> 16)) & mask;
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
