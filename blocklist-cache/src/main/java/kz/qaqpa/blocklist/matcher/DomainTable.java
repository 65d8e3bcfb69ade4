package kz.qaqpa.blocklist.matcher;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/*
 * A read-only set of domain names, each restricted exactly and/or with everything below it,
 * answering "which entry covers this query name?" without allocating.
 *
 * Layout. Every name is identified by the 64-bit hash of its labels, combined right to left:
 * h(kz) = mix(SEED, kz), h(example.kz) = mix(h(kz), example), … A query walks its own labels
 * right to left once, and after each label holds the hash of that suffix, so testing every suffix
 * of a name with k labels costs k table probes and no extra pass. The table is open addressing with
 * linear probing over a power-of-two array of longs (load factor ≤ 0.5, 0 marks an empty slot),
 * each slot the hash's upper 32 bits beside where the entry's record starts, plus one: a probe
 * reads one word, not a hash and then a pointer in another array. A slot's place is the hash's top
 * bits, which its stored half holds, so the index grows without the names' hashes kept anywhere
 * else. The entry a slot points at is a record in one byte arena: the two directive ordinals —
 * the one restricting the name exactly and the one restricting its subtree, or -1 — then the
 * name's length and the name (ASCII, lower case). A hit reads the slot and then one record, which
 * usually lies in one cache line: two memory accesses where parallel arrays of offsets, names and
 * ordinals took four.
 *
 * Exactness. A hash hit is confirmed by comparing the suffix with the stored name byte by byte, so
 * two names that collide in 64 bits can never stand for each other: a regulator's list must not
 * block a name it does not contain.
 *
 * Filter. Before the table, each suffix hash is tested against a blocked Bloom filter: one 64-bit
 * word chosen by the hash's middle bits, in which every name sets three bits chosen by its low bits;
 * 8 bits per name, so about 1 MiB at 1,000,000 names, which stays in a core's L2 cache while the
 * table (about 45 MB there) does not. A suffix whose three bits are not all set is certainly not a name
 * of the list and costs no table probe; about 3 % of absent suffixes pass the filter and are then
 * rejected by the table. Since most queries name nothing restricted, most look-ups never touch the
 * table at all.
 *
 * Cost per look-up: per label of the query (usually 2–4; entries with fewer labels than any entry,
 * or more than the longest, are not probed) one filter word from cache, and for the few suffixes
 * that pass it one table probe — a cache miss once the table outgrows the cache — plus a byte
 * comparison on a hit. Memory per name: 16 bytes of index, a record of 10 bytes and the name
 * itself (typically 15–25 bytes), 1 of filter: about 42–52 bytes.
 */
final class DomainTable {

    static final int NO_MATCH = -1;

    /** No names: the overlay of a table that has none. */
    private static final DomainTable EMPTY = new Builder().build();

    private static final long SEED = 0x6a09e667f3bcc909L;
    private static final long LABEL_SEED = 0xcbf29ce484222325L; // FNV-1a's offset basis
    private static final int MAX_LABELS = 127;

    /** A record: exact ordinal, subtree ordinal (ints), the name's length (a short), the name. */
    private static final int EXACT = 0;
    private static final int SUBTREE = 4;
    private static final int LENGTH = 8;
    private static final int NAME = 10;
    /**
     * The most a record's length holds. Far beyond any name intake takes (253 octets, RFC 1035
     * §2.3.4); a longer one is refused by the builder rather than cut.
     */
    private static final int LONGEST_NAME = 0xffff;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final long[] index;
    private final int mask;
    /** How far a hash is shifted right to give its home slot: 64 less the index's bits. */
    private final int shift;
    private final long[] filter;
    private final int filterMask;
    private final byte[] arena;
    private final int arenaSize;
    private final int count;
    private final int minLabels;
    private final int maxLabels;

    private DomainTable(long[] index, long[] filter, byte[] arena, int arenaSize, int count, int minLabels, int maxLabels) {
        this.index = index;
        this.mask = index.length - 1;
        this.shift = shiftFor(index.length);
        this.filter = filter;
        this.filterMask = filter.length - 1;
        this.arena = arena;
        this.arenaSize = arenaSize;
        this.count = count;
        this.minLabels = minLabels;
        this.maxLabels = maxLabels;
    }

    int size() {
        return count;
    }

    /**
     * The directive ordinal of the most specific entry covering {@code name} (an exact entry for
     * the name itself, or a subtree entry for it or any name above it), or {@link #NO_MATCH}.
     * Case-insensitive for ASCII; a trailing dot is ignored.
     */
    int match(CharSequence name) {
        return match(name, EMPTY, 0);
    }

    /**
     * As {@link #match(CharSequence)}, for this table with {@code overlay} laid over it: where the
     * overlay holds a name, its restrictions replace this table's for that name (an overlay entry
     * with neither restriction removes the name); everywhere else this table answers. Ordinals found
     * in the overlay are returned plus {@code overlayOffset}.
     */
    int match(CharSequence name, DomainTable overlay, int overlayOffset) {
        int end = name.length();
        if (end > 0 && name.charAt(end - 1) == '.') {
            end--;
        }
        if (end == 0) {
            return NO_MATCH;
        }
        int min = Math.min(labelsFrom(this, true), labelsFrom(overlay, true));
        int max = Math.max(labelsFrom(this, false), labelsFrom(overlay, false));
        int found = NO_MATCH;
        long hash = SEED;
        long label = LABEL_SEED;
        int labels = 0;
        int labelEnd = end;
        // One pass from the right: each octet goes into its label's hash as the walk meets it.
        for (int i = end - 1; i >= -1; i--) {
            char c = i >= 0 ? name.charAt(i) : '.';
            if (c != '.') {
                label = labelStep(label, c);
                continue;
            }
            int labelStart = i + 1;
            if (labelStart == labelEnd) {
                return NO_MATCH; // empty label: not a name
            }
            labels++;
            if (labels > max) {
                break;
            }
            hash = mix(hash, label);
            label = LABEL_SEED;
            if (labels >= min) {
                boolean whole = labelStart == 0;
                int entry = overlay.count > 0 && overlay.mayContain(hash) ? overlay.find(hash, name, labelStart, end)
                        : NO_MATCH;
                if (entry >= 0) {
                    int restriction = overlay.restriction(entry, whole);
                    if (restriction != NO_MATCH) {
                        found = restriction + overlayOffset;
                    }
                } else if (count > 0 && mayContain(hash)) {
                    entry = find(hash, name, labelStart, end);
                    if (entry >= 0 && restriction(entry, whole) != NO_MATCH) {
                        found = restriction(entry, whole);
                    }
                }
            }
            labelEnd = i;
        }
        return found;
    }

    /** An entry's restriction of the query: exact when the entry is the whole query name, else its subtree's. */
    private int restriction(int entry, boolean whole) {
        int exact = ordinal(arena, entry + EXACT);
        return whole && exact != NO_MATCH ? exact : ordinal(arena, entry + SUBTREE);
    }

    private static int ordinal(byte[] arena, int at) {
        return (int) INT.get(arena, at);
    }

    private static int nameLength(byte[] arena, int entry) {
        return Short.toUnsignedInt((short) SHORT.get(arena, entry + LENGTH));
    }

    /** Where the record after {@code entry} begins. */
    private static int next(byte[] arena, int entry) {
        return entry + NAME + nameLength(arena, entry);
    }

    private static int labelsFrom(DomainTable table, boolean least) {
        if (table.count == 0) {
            return least ? Integer.MAX_VALUE : 0;
        }
        return least ? table.minLabels : table.maxLabels;
    }

    /**
     * For this table laid over {@code base}: how many names it adds net — each name restricted here
     * and absent there counts one, each name it removes from there minus one.
     */
    int netAddedOver(DomainTable base) {
        int net = 0;
        for (int entry = 0; entry < arenaSize; entry = next(arena, entry)) {
            boolean here = ordinal(arena, entry + EXACT) != NO_MATCH || ordinal(arena, entry + SUBTREE) != NO_MATCH;
            net += (here ? 1 : 0) - (base.holds(nameAt(entry)) ? 1 : 0);
        }
        return net;
    }

    private String nameAt(int entry) {
        return new String(arena, entry + NAME, nameLength(arena, entry), StandardCharsets.US_ASCII);
    }

    /** Whether the table holds an entry for exactly this name. */
    private boolean holds(String name) {
        return count > 0 && find(Builder.hashOf(name), name, 0, name.length()) >= 0;
    }

    private boolean mayContain(long hash) {
        long bits = filterBits(hash);
        return (filter[filterWord(hash, filterMask)] & bits) == bits;
    }

    /** The filter's word for a hash: bits apart from those that set bits in it and from those that place a slot. */
    private static int filterWord(long hash, int filterMask) {
        return (int) (hash >>> 18) & filterMask;
    }

    private static long filterBits(long hash) {
        return 1L << (hash & 63) | 1L << ((hash >>> 6) & 63) | 1L << ((hash >>> 12) & 63);
    }

    private int find(long hash, CharSequence name, int start, int end) {
        int fingerprint = (int) (hash >>> 32);
        for (int slot = (int) (hash >>> shift); ; slot = (slot + 1) & mask) {
            long stored = index[slot];
            if (stored == 0) {
                return NO_MATCH;
            }
            if ((int) (stored >>> 32) == fingerprint && sameName((int) stored - 1, name, start, end)) {
                return (int) stored - 1;
            }
        }
    }

    /** An index slot: the hash's upper half, where the entry's record starts plus one (never 0, the empty slot). */
    private static long slotOf(long hash, int entry) {
        return hash & 0xffff_ffff_0000_0000L | (entry + 1);
    }

    private static int shiftFor(int indexLength) {
        return 64 - Integer.numberOfTrailingZeros(indexLength);
    }

    private boolean sameName(int entry, CharSequence name, int start, int end) {
        int length = nameLength(arena, entry);
        if (length != end - start) {
            return false;
        }
        int from = entry + NAME;
        for (int i = 0; i < length; i++) {
            if (arena[from + i] != lower(name.charAt(start + i))) {
                return false;
            }
        }
        return true;
    }

    /** A label's hash: FNV-1a over its octets from the last to the first, as a walk from the right meets them. */
    private static long labelHash(CharSequence name, int start, int end) {
        long hash = LABEL_SEED;
        for (int i = end - 1; i >= start; i--) {
            hash = labelStep(hash, name.charAt(i));
        }
        return hash;
    }

    private static long labelStep(long hash, char c) {
        return (hash ^ lower(c)) * 0x100000001b3L;
    }

    /** Combines the hash of the names above with one more label; never 0 (the empty slot). */
    private static long mix(long parent, long label) {
        long h = parent * 0x9e3779b97f4a7c15L + label;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    private static int lower(char c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    /**
     * Collects names; a name given twice keeps one entry with both kinds of restriction. It grows
     * the table's own arrays as names come (the index at load ≤ 0.5, as built), so building costs
     * little beyond the table: no map of names, no copy of each name but the arena's. Told the
     * list's size and bytes beforehand, it allocates each array once at its final size: a node
     * building a new table beside the one it answers from then holds no more than the two tables.
     */
    static final class Builder {

        private byte[] arena;
        private int arenaSize;
        private int count;
        private long[] index;
        private int minLabels = Integer.MAX_VALUE;
        private int maxLabels;
        /** The filter of the table this builder started from, and where that table's records ended; none: null, 0. */
        private long[] seedFilter;
        private int seedArenaSize;

        Builder() {
            this(8, 64);
        }

        /** For about {@code names} names of {@code nameBytes} octets in all; more or fewer work too, at the price of copies. */
        Builder(int names, long nameBytes) {
            int entries = Math.max(1, names);
            arena = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(NAME, nameBytes + (long) NAME * entries))];
            index = new long[Math.max(16, Integer.highestOneBit(2 * entries - 1) << 1)];
        }

        /**
         * Holding what {@code seed} holds, to change it: its arrays copied (the table stays as it
         * is for whoever reads it), so a table of n names becomes the next one for the price of a
         * copy and the changes, not n additions. Its filter is kept too and only the names added
         * here are hashed into it, unless the table outgrows it.
         */
        Builder(DomainTable seed) {
            arena = Arrays.copyOf(seed.arena, Math.max(NAME, seed.arenaSize + seed.arenaSize / 4));
            arenaSize = seed.arenaSize;
            count = seed.count;
            index = seed.index.clone();
            if (seed.count > 0) {
                minLabels = seed.minLabels;
                maxLabels = seed.maxLabels;
            }
            seedFilter = seed.filter;
            seedArenaSize = seed.arenaSize;
        }

        /**
         * @param name      lower-case A-label name without trailing dot
         * @param subtree   whether every name below it is restricted too (the name itself always is)
         * @param directive ordinal of the directive to cite
         */
        Builder add(String name, boolean subtree, int directive) {
            int at = entryOf(name) + (subtree ? SUBTREE : EXACT);
            if (ordinal(arena, at) == NO_MATCH) {
                INT.set(arena, at, directive);
            }
            return this;
        }

        /**
         * Holds {@code name} with no restriction, whatever was added for it before: laid over
         * another table, it removes the name there. What is added for it afterwards counts.
         */
        Builder mask(String name) {
            int entry = entryOf(name);
            INT.set(arena, entry + EXACT, NO_MATCH);
            INT.set(arena, entry + SUBTREE, NO_MATCH);
            return this;
        }

        DomainTable build() {
            // 8 filter bits per name, in whole 64-bit words, a power of two of them; each name's hash
            // taken again from the arena rather than kept (8 bytes a name) while building.
            int words = Integer.highestOneBit(Math.max(1, count / 8)) << 1;
            boolean seeded = seedFilter != null && seedFilter.length == words;
            long[] filter = seeded ? seedFilter.clone() : new long[words];
            AsciiSpan name = new AsciiSpan(arena);
            for (int entry = seeded ? seedArenaSize : 0; entry < arenaSize; entry = next(arena, entry)) {
                long hash = hashOf(name.of(entry + NAME, next(arena, entry)));
                filter[filterWord(hash, filter.length - 1)] |= filterBits(hash);
            }
            arena = arenaSize == arena.length ? arena : Arrays.copyOf(arena, arenaSize);
            return new DomainTable(index, filter, arena, arenaSize, count, count == 0 ? 0 : minLabels,
                    Math.min(maxLabels, MAX_LABELS));
        }

        /** The record of exactly {@code name}, made when there is none. */
        private int entryOf(String name) {
            long hash = hashOf(name);
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length > LONGEST_NAME) {
                throw new IllegalArgumentException("not a domain name: " + bytes.length + " octets");
            }
            int fingerprint = (int) (hash >>> 32);
            int mask = index.length - 1;
            int slot = (int) (hash >>> shiftFor(index.length));
            for (; index[slot] != 0; slot = (slot + 1) & mask) {
                int entry = (int) index[slot] - 1;
                if ((int) (index[slot] >>> 32) == fingerprint && nameLength(arena, entry) == bytes.length
                        && Arrays.equals(arena, entry + NAME, entry + NAME + bytes.length, bytes, 0, bytes.length)) {
                    return entry;
                }
            }
            int size = NAME + bytes.length;
            if (arenaSize + size > arena.length) {
                long grown = Math.max((long) arenaSize + size, 2L * arena.length);
                if (grown > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("over 2 GiB of names in one table");
                }
                arena = Arrays.copyOf(arena, (int) grown);
            }
            int entry = arenaSize;
            INT.set(arena, entry + EXACT, NO_MATCH);
            INT.set(arena, entry + SUBTREE, NO_MATCH);
            SHORT.set(arena, entry + LENGTH, (short) bytes.length);
            System.arraycopy(bytes, 0, arena, entry + NAME, bytes.length);
            arenaSize += size;
            count++;
            int labels = labelCount(name);
            minLabels = Math.min(minLabels, labels);
            maxLabels = Math.max(maxLabels, labels);
            index[slot] = slotOf(hash, entry);
            if (2 * count > index.length) {
                rehash(2 * index.length);
            }
            return entry;
        }

        /** A slot's place is the top bits of its stored half: the index grows from itself. */
        private void rehash(int capacity) {
            long[] old = index;
            index = new long[capacity];
            int shift = shiftFor(capacity);
            for (long stored : old) {
                if (stored != 0) {
                    int slot = (int) (stored >>> shift);
                    while (index[slot] != 0) {
                        slot = (slot + 1) & (capacity - 1);
                    }
                    index[slot] = stored;
                }
            }
        }

        private static int labelCount(String name) {
            int labels = 1;
            for (int i = 0; i < name.length(); i++) {
                if (name.charAt(i) == '.') {
                    labels++;
                }
            }
            return labels;
        }

        private static long hashOf(CharSequence name) {
            long hash = SEED;
            int labelEnd = name.length();
            for (int i = name.length() - 1; i >= -1; i--) {
                if (i >= 0 && name.charAt(i) != '.') {
                    continue;
                }
                hash = mix(hash, labelHash(name, i + 1, labelEnd));
                labelEnd = i;
            }
            return hash;
        }
    }

    /** A name in the arena read as text in place, one allocation for all of them. */
    private static final class AsciiSpan implements CharSequence {
        private final byte[] bytes;
        private int from;
        private int to;

        AsciiSpan(byte[] bytes) {
            this.bytes = bytes;
        }

        AsciiSpan of(int from, int to) {
            this.from = from;
            this.to = to;
            return this;
        }

        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int i) {
            return (char) bytes[from + i];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(bytes, from + start, end - start, StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
        }
    }

    @Override
    public String toString() {
        return "DomainTable[" + count + " names, " + index.length + " slots, " + arenaSize + " bytes of records]";
    }
}
