package kz.qaqpa.blocklist.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import java.nio.charset.StandardCharsets;
import kz.qaqpa.blocklist.model.PolicyZoneApex;
import kz.qaqpa.blocklist.model.Serial;

/**
 * The apex of the response policy zone on the wire — its SOA and NS, from the values of
 * {@link PolicyZoneApex} (the file's text): the gateway serves them in zone transfers, and the
 * filtering node cites the SOA in the authority section of the negative answers it makes
 * (RFC 2308), as a resolver applying the zone by RPZ does.
 */
public final class ZoneApex {

    /** The TTL of the zone's records, and the negative TTL its SOA gives ({@link PolicyZoneApex#TTL}). */
    public static final long TTL = PolicyZoneApex.TTL;

    private ZoneApex() {
    }

    /** The SOA at a serial ({@link Serial#soa}) with the zone's TTL. */
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
        writeName(rdata, PolicyZoneApex.PRIMARY);
        writeName(rdata, PolicyZoneApex.MAILBOX);
        rdata.writeInt((int) Serial.soa(serial));
        rdata.writeInt(PolicyZoneApex.REFRESH);
        rdata.writeInt(PolicyZoneApex.RETRY);
        rdata.writeInt(PolicyZoneApex.EXPIRE);
        rdata.writeInt((int) negativeTtl);
        byte[] bytes = new byte[rdata.readableBytes()];
        rdata.readBytes(bytes);
        return bytes;
    }

    /** The apex NS record. */
    public static DnsRecord ns(String origin) {
        ByteBuf rdata = Unpooled.buffer();
        writeName(rdata, PolicyZoneApex.PRIMARY);
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
