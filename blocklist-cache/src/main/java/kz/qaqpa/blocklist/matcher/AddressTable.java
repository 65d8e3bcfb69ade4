package kz.qaqpa.blocklist.matcher;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/*
 * A read-only set of IPv4/IPv6 networks (a single address is a /32 or /128) answering "which
 * network, longest prefix first, contains this address?" without allocating.
 *
 * Layout. IPv4 is held as IPv4-mapped IPv6 (::ffff:a.b.c.d, prefix + 96), so one structure serves
 * both. For each prefix length present there is one open-addressing table of masked networks: two
 * long arrays (high and low 64 bits) and an int array of directive ordinal + 1 (0 marks an empty
 * slot), load factor ≤ 0.5. A look-up masks the address for each length present, longest first,
 * and probes once per length: a list of single addresses plus a few dozen prefix lengths costs a
 * handful of probes. Memory: about 40 bytes per network.
 */
final class AddressTable {

    static final int NO_MATCH = -1;

    static final long IPV4_MAPPED_HIGH = 0L;
    static final long IPV4_MAPPED_LOW = 0x0000_ffff_0000_0000L;

    private final int[] lengths;
    private final long[][] highs;
    private final long[][] lows;
    private final int[][] directives;

    private AddressTable(int[] lengths, long[][] highs, long[][] lows, int[][] directives) {
        this.lengths = lengths;
        this.highs = highs;
        this.lows = lows;
        this.directives = directives;
    }

    boolean isEmpty() {
        return lengths.length == 0;
    }

    /** The directive ordinal of the longest network containing the 4- or 16-byte address, or {@link #NO_MATCH}. */
    int match(byte[] address) {
        long high;
        long low;
        if (address.length == 4) {
            high = IPV4_MAPPED_HIGH;
            low = IPV4_MAPPED_LOW | (Integer.toUnsignedLong(readInt(address, 0)));
        } else if (address.length == 16) {
            high = readLong(address, 0);
            low = readLong(address, 8);
        } else {
            return NO_MATCH;
        }
        return match(high, low);
    }

    /** The directive ordinal of the longest network containing the IPv6 address {@code high:low} (IPv4 mapped), or {@link #NO_MATCH}. */
    int match(long high, long low) {
        for (int i = 0; i < lengths.length; i++) {
            int length = lengths[i];
            long maskedHigh = high & maskHigh(length);
            long maskedLow = low & maskLow(length);
            long[] tableHigh = highs[i];
            long[] tableLow = lows[i];
            int[] tableDirectives = directives[i];
            int mask = tableHigh.length - 1;
            for (int slot = slot(maskedHigh, maskedLow) & mask; tableDirectives[slot] != 0; slot = (slot + 1) & mask) {
                if (tableHigh[slot] == maskedHigh && tableLow[slot] == maskedLow) {
                    return tableDirectives[slot] - 1;
                }
            }
        }
        return NO_MATCH;
    }

    private static long maskHigh(int length) {
        return length >= 64 ? -1L : length == 0 ? 0L : -1L << (64 - length);
    }

    private static long maskLow(int length) {
        return length <= 64 ? 0L : length == 128 ? -1L : -1L << (128 - length);
    }

    private static int slot(long high, long low) {
        long h = (high * 0x9e3779b97f4a7c15L) ^ (low * 0xc2b2ae3d27d4eb4fL);
        return (int) (h ^ (h >>> 32));
    }

    private static int readInt(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | (bytes[at + 3] & 0xff);
    }

    private static long readLong(byte[] bytes, int at) {
        return (long) readInt(bytes, at) << 32 | Integer.toUnsignedLong(readInt(bytes, at + 4));
    }

    /** Collects networks; the first directive given for a network is the one cited. */
    static final class Builder {

        private final Map<Integer, Map<Key, Integer>> byLength = new TreeMap<>();

        private record Key(long high, long low) {
        }

        /** A network: a 4- or 16-byte address and its prefix length (32 or 128 for one address). */
        Builder add(byte[] address, int prefixLength, int directive) {
            long high;
            long low;
            int length;
            if (address.length == 4) {
                if (prefixLength < 0 || prefixLength > 32) {
                    throw new IllegalArgumentException("IPv4 prefix length " + prefixLength);
                }
                high = IPV4_MAPPED_HIGH;
                low = IPV4_MAPPED_LOW | Integer.toUnsignedLong(readInt(address, 0));
                length = prefixLength + 96;
            } else if (address.length == 16) {
                if (prefixLength < 0 || prefixLength > 128) {
                    throw new IllegalArgumentException("IPv6 prefix length " + prefixLength);
                }
                high = readLong(address, 0);
                low = readLong(address, 8);
                length = prefixLength;
            } else {
                throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
            }
            Key key = new Key(high & maskHigh(length), low & maskLow(length));
            byLength.computeIfAbsent(length, ignored -> new LinkedHashMap<>()).putIfAbsent(key, directive);
            return this;
        }

        AddressTable build() {
            int count = byLength.size();
            int[] lengths = new int[count];
            long[][] highs = new long[count][];
            long[][] lows = new long[count][];
            int[][] directives = new int[count][];
            int i = count - 1; // longest first
            for (Map.Entry<Integer, Map<Key, Integer>> entry : byLength.entrySet()) {
                int capacity = Integer.highestOneBit(Math.max(2, entry.getValue().size()) * 2 - 1) << 1;
                long[] high = new long[capacity];
                long[] low = new long[capacity];
                int[] directive = new int[capacity];
                for (Map.Entry<Key, Integer> network : entry.getValue().entrySet()) {
                    int slot = slot(network.getKey().high(), network.getKey().low()) & (capacity - 1);
                    while (directive[slot] != 0) {
                        slot = (slot + 1) & (capacity - 1);
                    }
                    high[slot] = network.getKey().high();
                    low[slot] = network.getKey().low();
                    directive[slot] = network.getValue() + 1;
                }
                lengths[i] = entry.getKey();
                highs[i] = high;
                lows[i] = low;
                directives[i] = directive;
                i--;
            }
            return new AddressTable(lengths, highs, lows, directives);
        }
    }

    @Override
    public String toString() {
        return "AddressTable[prefix lengths " + Arrays.toString(lengths) + "]";
    }
}
