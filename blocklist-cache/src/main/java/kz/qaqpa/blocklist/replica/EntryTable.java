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
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.TargetKind;

/**
 * A filtering node's own copy of the restricted set, kept small: what the node needs of an entry is
 * its key, the directive it is enforced under and, for a URL, its host. Keys are written one after
 * another into one byte arena — a length, then the key's UTF-8 octets with its {@code KIND:} prefix
 * (and a domain's {@code *.}) as one octet — and an open-addressed table (linear probing, at most
 * two thirds full, deletion by shifting back: no tombstones) holds, per slot, where its key starts,
 * eight more bits of its key's hash and the ordinal of its directive in one long: a probe whose
 * bits differ passes on without reading the arena, so looking up a key that is not there (every new
 * entry) seldom touches another key's octets. About 34 bytes an entry for a short domain name,
 * where a byte array per key took about 56 and a map of keys to change records about 280. The
 * space of removed keys is reclaimed by writing the live ones into a fresh arena once it is half
 * the arena.
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
    private static final String DOMAIN_SUBTREE = BlocklistKey.domain("", true);
    private static final String DOMAIN = BlocklistKey.domain("", false);
    /** Key prefixes written as one octet, {@code i + 1} for the i-th; 0 is a key written whole. */
    private static final String[] PREFIXES = {DOMAIN_SUBTREE, DOMAIN, TargetKind.URL.name() + ":",
            TargetKind.IP.name() + ":", TargetKind.CIDR.name() + ":", TargetKind.APP.name() + ":"};
    /** Garbage below this is never worth a fresh arena. */
    private static final int MIN_RECLAIM = 1 << 16;
    /** The ordinals a slot can hold: far more directives than a list ever cites at once. */
    private static final int ORDINALS = 1 << 24;

    /**
     * Per slot: where its key starts in the arena, plus one, in the upper half (0: empty); in the
     * lower, eight bits of its key's hash ({@link #tag}) over its directive's ordinal (24 bits).
     */
    private long[] slots = new long[MIN_CAPACITY];
    private int size;
    private byte[] arena = new byte[256];
    private int arenaSize;
    /** Octets of the arena that removed keys held. */
    private int garbage;
    private int domains;
    private long domainOctets;
    private final List<String> directives = new ArrayList<>();
    private final Map<String, Integer> ordinals = new HashMap<>();
    /** How many entries cite each ordinal. */
    private int[] citing = new int[8];
    private final Deque<Integer> unused = new ArrayDeque<>();
    private final Map<String, String> urlHosts = new HashMap<>();
    /** At most {@link #ORDINALS}; fewer only in tests, to reach the limit. */
    private final int maxOrdinals;

    EntryTable() {
        this(ORDINALS);
    }

    EntryTable(int maxOrdinals) {
        this.maxOrdinals = Math.min(maxOrdinals, ORDINALS);
    }

    /** The number of the directive the entry under {@code key} is enforced under; null when there is none. */
    String directive(String key) {
        byte[] encoded = encode(key);
        int slot = slotOf(encoded, hash(encoded, 0, encoded.length));
        return slots[slot] == 0 ? null : directives.get(ordinalAt(slot));
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
        byte[] encoded = encode(key);
        int hash = hash(encoded, 0, encoded.length);
        int slot = slotOf(encoded, hash);
        int was = slots[slot] == 0 ? -1 : ordinalAt(slot);
        String before = was < 0 ? null : directives.get(was);
        if (change.restricts()) {
            // Cited before the entry's old directive is let go: a citation refused leaves the table as it was.
            int ordinal = cite(change.directive());
            if (was >= 0) {
                release(was);
            }
            if (slots[slot] == 0) {
                slots[slot] = slot(append(encoded), tag(hash), ordinal);
                counted(key, 1);
                if (++size * 3 > slots.length * 2) {
                    resize(slots.length * 2);
                }
            } else {
                slots[slot] = slot(startAt(slot), tagAt(slot), ordinal);
            }
            if (change.kind() == TargetKind.URL) {
                urlHosts.put(key, change.host().orElse(null));
            }
        } else if (before != null) {
            release(was);
            garbage += recordLength(startAt(slot));
            removeAt(slot);
            size--;
            counted(key, -1);
            urlHosts.remove(key);
            if (garbage >= MIN_RECLAIM && 2 * garbage > arenaSize) {
                reclaim();
            }
        }
        return before;
    }

    int size() {
        return size;
    }

    /** How many domain keys the table holds, a name alone and with its subdomains counted apart. */
    int domainKeys() {
        return domains;
    }

    /** The octets of the names of {@link #domainKeys}. */
    long domainOctets() {
        return domainOctets;
    }

    /** How many directives' numbers the table holds: those its entries cite, no more. */
    int citedDirectives() {
        return ordinals.size();
    }

    /** Every entry, in no particular order. */
    void forEach(EntryConsumer consumer) {
        for (int slot = 0; slot < slots.length; slot++) {
            if (slots[slot] != 0) {
                consumer.accept(decode(startAt(slot)), directives.get(ordinalAt(slot)));
            }
        }
    }

    /** Gives back the arena's unused room, as after a whole load; an arena already full to within an eighth is kept. */
    void trim() {
        if (arena.length - arenaSize > arena.length / 8) {
            arena = Arrays.copyOf(arena, Math.max(1, arenaSize));
        }
    }

    private void counted(String key, int sign) {
        if (key.startsWith(DOMAIN)) {
            domains += sign;
            domainOctets += sign * (long) (key.length() - (key.startsWith(DOMAIN_SUBTREE) ? DOMAIN_SUBTREE : DOMAIN).length());
        }
    }

    private int startAt(int slot) {
        return (int) (slots[slot] >>> 32) - 1;
    }

    private int ordinalAt(int slot) {
        return (int) slots[slot] & (ORDINALS - 1);
    }

    private int tagAt(int slot) {
        return (int) slots[slot] >>> 24;
    }

    private static long slot(int start, int tag, int ordinal) {
        return (long) (start + 1) << 32 | Integer.toUnsignedLong(tag << 24 | ordinal);
    }

    /** The slot that holds {@code key}, whose {@link #hash} is given, or the empty one it would go in. */
    private int slotOf(byte[] key, int hash) {
        int mask = slots.length - 1;
        int tag = tag(hash);
        for (int slot = home(hash, mask); ; slot = (slot + 1) & mask) {
            if (slots[slot] == 0) {
                return slot;
            }
            if (tagAt(slot) != tag) {
                continue;
            }
            int start = startAt(slot);
            int length = readLength(start);
            int from = start + lengthOctets(length);
            if (length == key.length && Arrays.equals(arena, from, from + length, key, 0, length)) {
                return slot;
            }
        }
    }

    /** Empties {@code slot}, moving back every entry of the run after it that may sit there (Knuth 6.4, algorithm R). */
    private void removeAt(int slot) {
        int mask = slots.length - 1;
        int hole = slot;
        for (int next = (hole + 1) & mask; slots[next] != 0; next = (next + 1) & mask) {
            int home = homeAt(startAt(next), mask);
            if (((next - home) & mask) >= ((next - hole) & mask)) { // the hole lies on its probe path
                slots[hole] = slots[next];
                hole = next;
            }
        }
        slots[hole] = 0;
    }

    private void resize(int capacity) {
        long[] old = slots;
        slots = new long[capacity];
        for (long stored : old) {
            if (stored != 0) {
                int slot = homeAt((int) (stored >>> 32) - 1, capacity - 1);
                while (slots[slot] != 0) {
                    slot = (slot + 1) & (capacity - 1);
                }
                slots[slot] = stored;
            }
        }
    }

    /** Writes the live keys into a fresh arena, in slot order, leaving out what removed ones held. */
    private void reclaim() {
        byte[] old = arena;
        arena = new byte[Math.max(256, arenaSize - garbage + (arenaSize - garbage) / 4)];
        arenaSize = 0;
        garbage = 0;
        for (int slot = 0; slot < slots.length; slot++) {
            if (slots[slot] != 0) {
                int start = startAt(slot);
                int length = recordLength(old, start);
                System.arraycopy(old, start, arena, arenaSize, length);
                slots[slot] = slot(arenaSize, tagAt(slot), ordinalAt(slot));
                arenaSize += length;
            }
        }
    }

    /** Writes a key's length and octets at the arena's end; returns where they start. */
    private int append(byte[] key) {
        int needed = lengthOctets(key.length) + key.length;
        if (arenaSize + needed > arena.length) {
            long grown = Math.max((long) arenaSize + needed, arena.length + (long) arena.length / 2);
            if (grown > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("the node's copy of the list is over 2 GiB of keys");
            }
            arena = Arrays.copyOf(arena, (int) grown);
        }
        int start = arenaSize;
        int at = start;
        for (int length = key.length; ; length >>>= 7) { // seven bits an octet, the last without its top bit
            if (length < 0x80) {
                arena[at++] = (byte) length;
                break;
            }
            arena[at++] = (byte) (0x80 | length & 0x7f);
        }
        System.arraycopy(key, 0, arena, at, key.length);
        arenaSize = at + key.length;
        return start;
    }

    private int readLength(int start) {
        return readLength(arena, start);
    }

    private static int readLength(byte[] arena, int start) {
        int length = 0;
        for (int shift = 0, at = start; ; shift += 7, at++) {
            length |= (arena[at] & 0x7f) << shift;
            if (arena[at] >= 0) {
                return length;
            }
        }
    }

    private static int lengthOctets(int length) {
        int octets = 1;
        while (length >= 0x80) {
            length >>>= 7;
            octets++;
        }
        return octets;
    }

    private int recordLength(int start) {
        return recordLength(arena, start);
    }

    private static int recordLength(byte[] arena, int start) {
        int length = readLength(arena, start);
        return lengthOctets(length) + length;
    }

    private int homeAt(int start, int mask) {
        int length = readLength(start);
        int from = start + lengthOctets(length);
        return home(hash(arena, from, from + length), mask);
    }

    /** A key as the arena holds it: its prefix's code, then the rest of it in UTF-8. */
    private static byte[] encode(String key) {
        for (int i = 0; i < PREFIXES.length; i++) {
            if (key.startsWith(PREFIXES[i])) {
                byte[] rest = key.substring(PREFIXES[i].length()).getBytes(StandardCharsets.UTF_8);
                byte[] encoded = new byte[rest.length + 1];
                encoded[0] = (byte) (i + 1);
                System.arraycopy(rest, 0, encoded, 1, rest.length);
                return encoded;
            }
        }
        byte[] whole = key.getBytes(StandardCharsets.UTF_8);
        byte[] encoded = new byte[whole.length + 1];
        System.arraycopy(whole, 0, encoded, 1, whole.length);
        return encoded;
    }

    private String decode(int start) {
        int length = readLength(start);
        int from = start + lengthOctets(length);
        int code = arena[from];
        String rest = new String(arena, from + 1, length - 1, StandardCharsets.UTF_8);
        return code == 0 ? rest : PREFIXES[code - 1] + rest;
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
            if (ordinal == maxOrdinals) {
                throw new IllegalStateException("the node's copy of the list cites over " + maxOrdinals + " directives");
            }
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

    /** A key's hash: its home slot is in the low bits ({@link #home}), its {@link #tag} the top eight. */
    private static int hash(byte[] key, int from, int to) {
        int hash = 1;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + key[i];
        }
        return hash * 0x9E3779B9; // spread: names that differ in their last bytes land apart
    }

    private static int home(int hash, int mask) {
        return (hash ^ (hash >>> 16)) & mask;
    }

    private static int tag(int hash) {
        return hash >>> 24;
    }
}
