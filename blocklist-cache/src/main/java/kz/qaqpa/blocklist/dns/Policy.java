package kz.qaqpa.blocklist.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import java.util.Optional;
import kz.qaqpa.blocklist.matcher.BlocklistView;
import kz.qaqpa.blocklist.matcher.Matcher;

/**
 * What the node does with a query for a name, and with the upstream's answer to one it forwarded,
 * whichever transport they came by; and what its own negative answers cite.
 */
final class Policy {

    /**
     * Answer here because the blocklist is not loaded, answer here because a directive restricts the
     * name (or an address in the upstream's answer), forward (or relay), or answer SERVFAIL because
     * the upstream's answer cannot be read.
     */
    enum Action { NOT_READY, RESTRICTED, FORWARD, UNREADABLE }

    /** The decision, and for RESTRICTED the number of the directive to cite. */
    record Verdict(Action action, String directive) {
    }

    private static final Verdict NOT_READY = new Verdict(Action.NOT_READY, "");
    private static final Verdict FORWARD = new Verdict(Action.FORWARD, "");
    private static final Verdict UNREADABLE = new Verdict(Action.UNREADABLE, "");
    private static final int TYPE_A = 1;
    private static final int TYPE_AAAA = 28;

    /** The data of the policy zone's SOA at the last serial a negative answer cited. */
    private record Soa(long serial, byte[] data) {
    }

    private final BlocklistView blocklist;
    private final Sinkhole sinkhole;
    private final String zone;
    private final long negativeTtl;
    private volatile Soa soa = new Soa(-1, null);

    Policy(BlocklistView blocklist, Sinkhole sinkhole, String zone, long negativeTtl) {
        this.blocklist = blocklist;
        this.sinkhole = sinkhole;
        this.zone = java.net.IDN.toASCII(zone); // once: the answers carry it as is
        this.negativeTtl = negativeTtl;
    }

    Sinkhole sinkhole() {
        return sinkhole;
    }

    /**
     * The policy zone's SOA at the serial the node enforces, for the authority section of NXDOMAIN
     * and NODATA answers: its TTL and MINIMUM, the negative TTL, say how long they may be cached.
     */
    DnsRecord negativeSoa() {
        long serial = blocklist.serial();
        Soa current = soa;
        if (current.serial() != serial) {
            current = new Soa(serial, ZoneApex.soaData(serial, negativeTtl));
            soa = current;
        }
        return AsciiRecords.raw(zone, DnsRecordType.SOA, Answers.CLASS_IN, negativeTtl,
                Unpooled.wrappedBuffer(current.data()));
    }

    Verdict decide(String name) {
        Optional<Matcher> matcher = blocklist.current();
        if (matcher.isEmpty()) {
            return NOT_READY;
        }
        int directive = matcher.get().matchDomain(name);
        return directive == Matcher.NO_MATCH ? FORWARD : new Verdict(Action.RESTRICTED, matcher.get().directive(directive));
    }

    /**
     * The upstream's answer to a forwarded query, before it is relayed: RESTRICTED when an A or AAAA
     * record of its answer section holds an address in a restricted network, whatever name owns it
     * (as an RPZ {@code rpz-ip} trigger), citing the directive; NOT_READY when no blocklist is
     * loaded; UNREADABLE when its answer section does not parse — it is not relayed unjudged;
     * FORWARD otherwise. Reads in place and allocates nothing.
     *
     * @param message the answer, from its reader index
     * @param answers where its answer section starts (after the question)
     */
    Verdict decideAnswer(ByteBuf message, int answers) {
        Optional<Matcher> current = blocklist.current();
        if (current.isEmpty()) {
            return NOT_READY;
        }
        Matcher matcher = current.get();
        int end = message.writerIndex();
        int records = message.getUnsignedShort(message.readerIndex() + 6);
        int at = answers;
        for (int i = 0; i < records; i++) {
            at = afterName(message, at, end);
            if (at < 0 || at + 10 > end) {
                return UNREADABLE;
            }
            int type = message.getUnsignedShort(at);
            int dnsClass = message.getUnsignedShort(at + 2);
            int length = message.getUnsignedShort(at + 8);
            int data = at + 10;
            if (data + length > end) {
                return UNREADABLE;
            }
            int ordinal = Matcher.NO_MATCH;
            if (dnsClass == Answers.CLASS_IN && type == TYPE_A && length == 4) {
                ordinal = matcher.matchIpv4(message.getInt(data));
            } else if (dnsClass == Answers.CLASS_IN && type == TYPE_AAAA && length == 16) {
                ordinal = matcher.matchIpv6(message.getLong(data), message.getLong(data + 8));
            }
            if (ordinal != Matcher.NO_MATCH) {
                return new Verdict(Action.RESTRICTED, matcher.directive(ordinal));
            }
            at = data + length;
        }
        return FORWARD;
    }

    /** Where the name at {@code at} ends: after its root label or its compression pointer; -1 when it runs off the end. */
    private static int afterName(ByteBuf message, int at, int end) {
        while (at < end) {
            int length = message.getUnsignedByte(at);
            if (length == 0) {
                return at + 1;
            }
            if ((length & 0xc0) == 0xc0) {
                return at + 2 <= end ? at + 2 : -1;
            }
            if ((length & 0xc0) != 0) {
                return -1;
            }
            at += 1 + length;
        }
        return -1;
    }
}
