package kz.qaqpa.blocklist.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import java.nio.charset.StandardCharsets;

/**
 * The apex of the response policy zone, its SOA and NS, in one place: the gateway serves them in
 * zone transfers and files, and the filtering node cites the SOA in the authority section of the
 * negative answers it makes (RFC 2308), as a resolver applying the zone by RPZ does.
 */
public final class ZoneApex {

    /** The TTL of the zone's records, and the negative TTL its SOA gives. */
    public static final long TTL = 60;
    /** The zone's nominal primary: its NS and the SOA's MNAME (RPZ is never resolved through it). */
    private static final String PRIMARY = "localhost.";
    private static final String MAILBOX = "hostmaster.localhost.";
    private static final int REFRESH = 3600;
    private static final int RETRY = 600;
    private static final int EXPIRE = 604800;

    private ZoneApex() {
    }

    /** The apex in zone-file form ({@code @ IN SOA …} and {@code @ IN NS …}). */
    public static String text(long serial) {
        return "@ IN SOA " + PRIMARY + " " + MAILBOX + " " + (serial & 0xffffffffL) + " " + REFRESH + " " + RETRY + " "
                + EXPIRE + " " + TTL + "\n@ IN NS " + PRIMARY + "\n";
    }

    /** The SOA at a serial (modulo 2^32, RFC 1982) with the zone's TTL. */
    public static DnsRecord soa(String origin, long serial) {
        return soa(origin, serial, TTL);
    }

    /** The SOA at a serial whose TTL and MINIMUM are {@code negativeTtl}: how long a negative answer may be cached. */
    public static DnsRecord soa(String origin, long serial, long negativeTtl) {
        return new DefaultDnsRawRecord(origin, DnsRecordType.SOA, negativeTtl, Unpooled.wrappedBuffer(soaData(serial, negativeTtl)));
    }

    /** The SOA's data on the wire. */
    static byte[] soaData(long serial, long negativeTtl) {
        ByteBuf rdata = Unpooled.buffer(64);
        writeName(rdata, PRIMARY);
        writeName(rdata, MAILBOX);
        rdata.writeInt((int) serial);
        rdata.writeInt(REFRESH);
        rdata.writeInt(RETRY);
        rdata.writeInt(EXPIRE);
        rdata.writeInt((int) negativeTtl);
        byte[] bytes = new byte[rdata.readableBytes()];
        rdata.readBytes(bytes);
        return bytes;
    }

    /** The apex NS record. */
    public static DnsRecord ns(String origin) {
        ByteBuf rdata = Unpooled.buffer();
        writeName(rdata, PRIMARY);
        return new DefaultDnsRawRecord(origin, DnsRecordType.NS, TTL, rdata);
    }

    private static void writeName(ByteBuf out, String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                out.writeByte(bytes.length);
                out.writeBytes(bytes);
            }
        }
        out.writeByte(0);
    }
}
