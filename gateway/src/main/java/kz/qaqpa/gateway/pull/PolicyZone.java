package kz.qaqpa.gateway.pull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import kz.qaqpa.blocklist.dns.ZoneApex;

/**
 * The records of the response policy zone as zone transfers send them — the same zone, with the
 * same apex (SOA and NS; a secondary such as BIND refuses a zone without NS records at its apex), as
 * the {@code rpz} file writes ({@code FeedFormat}).
 */
final class PolicyZone {

    private final String origin;

    PolicyZone(String origin) {
        this.origin = origin;
    }

    String origin() {
        return origin;
    }

    /** The SOA at a serial: RFC 1982 serials are 32 bits, so the list's serial modulo 2^32. */
    DnsRecord soa(long serial) {
        return ZoneApex.soa(origin, serial);
    }

    /** The apex NS record. */
    DnsRecord ns() {
        return ZoneApex.ns(origin);
    }

    /** The {@code CNAME .} record of an RPZ trigger (see {@link FeedFormat#rpzOwners}). */
    DnsRecord cname(String owner) {
        return new DefaultDnsRawRecord(owner + "." + origin, DnsRecordType.CNAME, ZoneApex.TTL, Unpooled.wrappedBuffer(new byte[] {0}));
    }

    /** The SOA serial in an SOA record's data, whose names may be compressed. */
    static long serialOf(ByteBuf rdata) {
        int at = rdata.readerIndex();
        for (int name = 0; name < 2; name++) {
            while (true) {
                int length = rdata.getUnsignedByte(at);
                if ((length & 0xc0) == 0xc0) {
                    at += 2;
                    break;
                }
                at += 1 + length;
                if (length == 0) {
                    break;
                }
            }
        }
        return rdata.getUnsignedInt(at);
    }
}
