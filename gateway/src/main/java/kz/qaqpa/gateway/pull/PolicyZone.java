package kz.qaqpa.gateway.pull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of the response policy zone, as zone transfers send them and as the {@code rpz} file
 * writes them: one zone, the same apex (SOA and NS — a secondary such as BIND refuses a zone without
 * NS records at its apex) whichever way an operator takes it.
 */
final class PolicyZone {

    static final long TTL = 60;
    /** The zone's nominal primary: its NS and the SOA's MNAME (RPZ is never resolved through it). */
    private static final String PRIMARY = "localhost.";
    private static final String MAILBOX = "hostmaster.localhost.";
    private static final int REFRESH = 3600;
    private static final int RETRY = 600;
    private static final int EXPIRE = 604800;

    /** The apex in zone-file form ({@code @ IN SOA …} and {@code @ IN NS …}), for the rpz file. */
    static String apexText(long serial) {
        return "@ IN SOA " + PRIMARY + " " + MAILBOX + " " + (serial & 0xffffffffL) + " " + REFRESH + " " + RETRY + " "
                + EXPIRE + " " + TTL + "\n@ IN NS " + PRIMARY + "\n";
    }

    private final String origin;

    PolicyZone(String origin) {
        this.origin = origin;
    }

    String origin() {
        return origin;
    }

    /** The SOA at a serial: RFC 1982 serials are 32 bits, so the list's serial modulo 2^32. */
    DnsRecord soa(long serial) {
        ByteBuf rdata = Unpooled.buffer();
        writeName(rdata, PRIMARY);
        writeName(rdata, MAILBOX);
        rdata.writeInt((int) serial);
        rdata.writeInt(REFRESH);
        rdata.writeInt(RETRY);
        rdata.writeInt(EXPIRE);
        rdata.writeInt((int) TTL);
        return new DefaultDnsRawRecord(origin, DnsRecordType.SOA, TTL, rdata);
    }

    /** The apex NS record. */
    DnsRecord ns() {
        ByteBuf rdata = Unpooled.buffer();
        writeName(rdata, PRIMARY);
        return new DefaultDnsRawRecord(origin, DnsRecordType.NS, TTL, rdata);
    }

    /** The {@code CNAME .} records that an entry triggers by (none for URLs and applications). */
    List<DnsRecord> records(FeedEntry entry) {
        List<DnsRecord> records = new ArrayList<>(2);
        for (String owner : FeedFormat.rpzOwners(entry)) {
            records.add(cname(owner));
        }
        return records;
    }

    DnsRecord cname(String owner) {
        return new DefaultDnsRawRecord(owner + "." + origin, DnsRecordType.CNAME, TTL, Unpooled.wrappedBuffer(new byte[] {0}));
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
