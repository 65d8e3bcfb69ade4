package kz.qaqpa.blocklist.model;

import java.util.OptionalLong;

/**
 * The blocklist's serials. The change log counts in 64 bits from 1 without gaps; DNS carries a
 * zone's serial in 32 bits (the SOA record, IXFR, NOTIFY) as sequence space arithmetic (RFC 1982), so a zone's serial is the list's serial modulo 2^32, and a client's 32-bit
 * serial is read back against the list's head here, once.
 */
public final class Serial {

    private static final long MASK = 0xffff_ffffL;

    private Serial() {
    }

    /** The SOA form of a serial: modulo 2^32. */
    public static long soa(long serial) {
        return serial & MASK;
    }

    /**
     * The list's serial a client's SOA serial stands for, seen from the list's head: the head, or a
     * serial up to 2^31 - 1 behind it; empty when the client is ahead of the head or unrelated.
     */
    public static OptionalLong behind(long head, long clientSoa) {
        long distance = (soa(head) - soa(clientSoa)) & MASK;
        if (distance >= 0x8000_0000L || distance > head) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(head - distance);
    }
}
