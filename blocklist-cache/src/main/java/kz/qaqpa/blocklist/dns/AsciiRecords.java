package kz.qaqpa.blocklist.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.handler.codec.dns.DefaultDnsRecordEncoder;
import io.netty.handler.codec.dns.DnsRecordEncoder;
import io.netty.util.AsciiString;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecordType;

/**
 * Records for Netty's encoder, made without the IDN conversion of the name that the constructors of
 * Netty's own record classes run: the answers the node writes itself carry names already in their
 * ASCII form — the question as read from the query, the policy zone's apex, the root — so converting
 * them again is only cost, on every restricted answer.
 */
final class AsciiRecords {

    /**
     * Netty's record encoder, but for names: Netty splits each with a regular expression, a tenth of
     * the node's time on restricted answers. This writes the same octets (a test holds it to Netty's
     * on any text) and refuses what Netty refuses.
     */
    static final DnsRecordEncoder ENCODER = new NameEncoder();

    private static final int LONGEST_LABEL = 63;
    private static final int LONGEST_NAME = 255;

    private AsciiRecords() {
    }

    private static final class NameEncoder extends DefaultDnsRecordEncoder {
        @Override
        protected void encodeName(String name, ByteBuf out) {
            if (name.equals(".")) {
                out.writeByte(0);
                return;
            }
            int end = name.length();
            while (end > 0 && name.charAt(end - 1) == '.') {
                end--; // the root's empty label, and any empty ones before it, end the name
            }
            int total = 0;
            for (int start = 0; start < end; ) {
                int dot = name.indexOf('.', start);
                if (dot < 0 || dot > end) {
                    dot = end;
                }
                int length = dot - start;
                if (length == 0) {
                    throw new IllegalArgumentException("DNS name contains empty label: " + name);
                }
                if (length > LONGEST_LABEL) {
                    throw new IllegalArgumentException("DNS label length " + length + " exceeds maximum of 63: " + name);
                }
                int nul = name.indexOf('\0', start);
                if (nul >= 0 && nul < dot) {
                    throw new IllegalArgumentException("DNS label contains null byte at index " + (nul - start));
                }
                total += 1 + length;
                if (total > LONGEST_NAME) {
                    throw new IllegalArgumentException("DNS name exceeds maximum length of 255: " + name);
                }
                out.writeByte(length);
                for (int i = start; i < dot; i++) {
                    out.writeByte(AsciiString.c2b(name.charAt(i)));
                }
                start = dot + 1;
            }
            out.writeByte(0);
        }
    }

    /** A question; {@code name} in ASCII, as the query spelled it. */
    static DnsQuestion question(String name, DnsRecordType type, int dnsClass) {
        return new Question(name, type, dnsClass);
    }

    /** A record with its data as written on the wire; takes over {@code content}. */
    static DnsRawRecord raw(String name, DnsRecordType type, int dnsClass, long timeToLive, ByteBuf content) {
        return new Raw(name, type, dnsClass, timeToLive, content);
    }

    private record Question(String name, DnsRecordType type, int dnsClass) implements DnsQuestion {
        @Override
        public long timeToLive() {
            return 0;
        }
    }

    private static final class Raw extends DefaultByteBufHolder implements DnsRawRecord {
        private final String name;
        private final DnsRecordType type;
        private final int dnsClass;
        private final long timeToLive;

        Raw(String name, DnsRecordType type, int dnsClass, long timeToLive, ByteBuf content) {
            super(content);
            this.name = name;
            this.type = type;
            this.dnsClass = dnsClass;
            this.timeToLive = timeToLive;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public DnsRecordType type() {
            return type;
        }

        @Override
        public int dnsClass() {
            return dnsClass;
        }

        @Override
        public long timeToLive() {
            return timeToLive;
        }

        @Override
        public DnsRawRecord copy() {
            return replace(content().copy());
        }

        @Override
        public DnsRawRecord duplicate() {
            return replace(content().duplicate());
        }

        @Override
        public DnsRawRecord retainedDuplicate() {
            return replace(content().retainedDuplicate());
        }

        @Override
        public DnsRawRecord replace(ByteBuf content) {
            return new Raw(name, type, dnsClass, timeToLive, content);
        }

        @Override
        public DnsRawRecord retain() {
            super.retain();
            return this;
        }

        @Override
        public DnsRawRecord retain(int increment) {
            super.retain(increment);
            return this;
        }

        @Override
        public DnsRawRecord touch() {
            super.touch();
            return this;
        }

        @Override
        public DnsRawRecord touch(Object hint) {
            super.touch(hint);
            return this;
        }
    }
}
