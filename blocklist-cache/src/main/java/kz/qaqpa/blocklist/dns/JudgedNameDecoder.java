package kz.qaqpa.blocklist.dns;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRecordType;

/**
 * Netty's record decoder for queries over TCP, with the check the UDP path makes: a question whose
 * name the node cannot judge — one the codec cannot read (over 255 octets, a pointer loop), or one
 * with a NUL or a dot inside a label — comes out as {@link Unjudgeable}, which
 * {@link TcpQueryHandler} answers FORMERR instead of dropping the connection. Netty hands this
 * decoder the frame with the message at index 0, as its compression pointers require.
 */
final class JudgedNameDecoder implements DnsRecordDecoder {

    /** A question not to be judged; the FORMERR answer does not repeat it. */
    static final class Unjudgeable extends DefaultDnsQuestion {
        Unjudgeable() {
            super(".", DnsRecordType.A);
        }
    }

    @Override
    public DnsQuestion decodeQuestion(ByteBuf in) throws Exception {
        int name = in.readerIndex();
        DnsQuestion question;
        try {
            question = DEFAULT.decodeQuestion(in);
        } catch (DecoderException unreadable) {
            in.readerIndex(name);
            skipName(in);
            in.skipBytes(4); // type and class; a frame that ends before them is not worth answering
            return new Unjudgeable();
        }
        return QueryHandler.judgeableName(in, 0, name) ? question : new Unjudgeable();
    }

    @Override
    public <T extends DnsRecord> T decodeRecord(ByteBuf in) throws Exception {
        return DEFAULT.decodeRecord(in);
    }

    /** Moves past a name as written here: its labels up to the root or the first pointer. */
    private static void skipName(ByteBuf in) {
        for (int length = in.readUnsignedByte(); length != 0; length = in.readUnsignedByte()) {
            if ((length & 0xc0) == 0xc0) {
                in.skipBytes(1);
                return;
            }
            in.skipBytes(length & 0x3f);
        }
    }
}
