package kz.qaqpa.blocklist.dns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * One DNS query in, one decision: answered here (restricted, not ready, malformed) or forwarded to
 * the upstream resolver. Reads the header and question from the datagram itself, so that a
 * forwarded query leaves exactly as it came. Never blocks: the look-up is a call into the matcher.
 *
 * <p>Buffers: the datagram is released by this handler when the read returns; a forwarded query
 * takes its own reference, which the forwarder releases when it has been sent.
 */
final class QueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final int HEADER_LENGTH = 12;
    private static final int QR_RESPONSE = 0x8000;
    private static final int RECURSION_DESIRED = 0x0100;
    private static final int TYPE_OPT = 41;

    private final Policy policy;
    private final UpstreamForwarder upstream;
    /** With {@code upstream-tcp}: where allowed queries go instead of {@link #upstream}; else null. */
    private final TcpForwarder overTcp;
    private final DnsCounters counters;

    QueryHandler(Policy policy, UpstreamForwarder upstream, TcpForwarder overTcp, DnsCounters counters) {
        this.policy = policy;
        this.counters = counters;
        this.upstream = upstream;
        this.overTcp = overTcp;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf in = packet.content();
        int start = in.readerIndex();
        if (in.readableBytes() < HEADER_LENGTH) {
            return; // not DNS: dropped
        }
        int flags = in.getUnsignedShort(start + 2);
        if ((flags & QR_RESPONSE) != 0) {
            return; // a response, not a query: answering it could start a loop between servers
        }
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        int id = in.getUnsignedShort(start);
        boolean recursionDesired = (flags & RECURSION_DESIRED) != 0;
        if (((flags >>> 11) & 0xf) != DnsOpCode.QUERY.byteValue()) {
            counters.answered(DnsCounters.Answer.NOT_IMPLEMENTED);
            reply(ctx, new Answers.Query(packet.sender(), local, id, recursionDesired, null, false), DnsResponseCode.NOTIMP, 0, "");
            return;
        }
        Answers.Query query = decode(in, packet.sender(), local);
        if (query == null) {
            counters.answered(DnsCounters.Answer.MALFORMED);
            reply(ctx, new Answers.Query(packet.sender(), local, id, recursionDesired, null, false), DnsResponseCode.FORMERR, 0, "");
            return;
        }
        Policy.Verdict verdict = policy.decide(query.question().name());
        switch (verdict.action()) {
            case NOT_READY -> {
                counters.answered(DnsCounters.Answer.NOT_READY);
                reply(ctx, query, DnsResponseCode.REFUSED, Answers.EDE_NOT_READY, Answers.NOT_READY_TEXT);
            }
            case RESTRICTED -> {
                counters.answered(DnsCounters.Answer.RESTRICTED);
                ctx.write(Answers.restricted(Answers.response(query, DnsResponseCode.NXDOMAIN), query,
                        verdict.directive(), policy, ctx.alloc()));
            }
            case FORWARD -> {
                if (overTcp != null) {
                    overTcp.forwardDatagram(in.retainedSlice(), query, ctx.channel());
                } else {
                    upstream.forward(in.retainedSlice(), query, ctx.channel());
                }
            }
            default -> throw new IllegalStateException(verdict.action() + " is no verdict on a query");
        }
    }

    /**
     * The query's question and whether it speaks EDNS, or null when it is malformed: not exactly one
     * question, no answers, every additional record readable. {@code in} holds a datagram of at
     * least a header, flags already checked; it is not consumed.
     *
     * <p>Read straight from the buffer: the name's octets become its text without Netty's codec,
     * which would run every name through IDN and make an object of every record. What it gives is
     * what the codec gives ({@link #decodeWithCodec}, to which a name with an octet over 0x7f or
     * a dot inside a label, or an additional record other than OPT, is left): the fuzz test holds the two
     * to the same answer on any datagram.
     */
    static Answers.Query decode(ByteBuf in, InetSocketAddress client, InetSocketAddress local) {
        int start = in.readerIndex();
        if (in.getUnsignedShort(start + 4) != 1 || in.getUnsignedShort(start + 6) != 0 || in.getUnsignedShort(start + 8) != 0) {
            return null; // exactly one question and no answers in a query
        }
        String name = WireNames.judgeable(in, start, start + HEADER_LENGTH);
        if (name == WireNames.NOT_ASCII) {
            return decodeWithCodec(in, client, local);
        }
        if (name == null) {
            return null;
        }
        int end = in.writerIndex();
        int position = WireNames.end(in, start, start + HEADER_LENGTH);
        if (position < 0 || position + 4 > end) {
            return null;
        }
        Answers.Question question = new Answers.Question(name, in.getUnsignedShort(position),
                in.getUnsignedShort(position + 2));
        position += 4;
        boolean edns = false;
        int payload = Answers.CLASSIC_UDP_PAYLOAD;
        int additional = in.getUnsignedShort(start + 10);
        for (int i = 0; i < additional; i++) {
            int owner = WireNames.end(in, start, position);
            if (owner == WireNames.FOR_THE_CODEC) {
                return decodeWithCodec(in, client, local);
            }
            if (owner < 0 || end - owner < 10) {
                return null;
            }
            int type = in.getUnsignedShort(owner);
            int length = in.getUnsignedShort(owner + 8);
            if (end - (owner + 10) < length) {
                return null;
            }
            if (type != TYPE_OPT) {
                return decodeWithCodec(in, client, local); // the codec reads some types' data (PTR, NS, MX…)
            }
            edns = true;
            // The OPT record's class is the requestor's UDP payload size (RFC 6891 §6.2.3).
            payload = Math.max(Answers.CLASSIC_UDP_PAYLOAD, in.getUnsignedShort(owner + 2));
            position = owner + 10 + length;
        }
        int id = in.getUnsignedShort(start);
        boolean recursionDesired = (in.getUnsignedShort(start + 2) & RECURSION_DESIRED) != 0;
        return new Answers.Query(client, local, id, recursionDesired, question, edns, payload);
    }

    /** {@link #decode} by Netty's codec: the reference the fast path answers as, and its way for unusual queries. */
    static Answers.Query decodeWithCodec(ByteBuf in, InetSocketAddress client, InetSocketAddress local) {
        int start = in.readerIndex();
        if (in.getUnsignedShort(start + 4) != 1 || in.getUnsignedShort(start + 6) != 0 || in.getUnsignedShort(start + 8) != 0) {
            return null;
        }
        int id = in.getUnsignedShort(start);
        boolean recursionDesired = (in.getUnsignedShort(start + 2) & RECURSION_DESIRED) != 0;
        ByteBuf view = in.duplicate().readerIndex(start + HEADER_LENGTH);
        try {
            DnsQuestion question = DnsRecordDecoder.DEFAULT.decodeQuestion(view);
            if (!judgeableName(in, start, start + HEADER_LENGTH)) {
                ReferenceCountUtil.release(question);
                return null;
            }
            boolean edns = false;
            int payload = Answers.CLASSIC_UDP_PAYLOAD;
            int additional = in.getUnsignedShort(start + 10);
            for (int i = 0; i < additional; i++) {
                DnsRecord record = DnsRecordDecoder.DEFAULT.decodeRecord(view);
                if (record == null) {
                    return null;
                }
                if (record.type() == DnsRecordType.OPT) {
                    edns = true;
                    payload = Math.max(Answers.CLASSIC_UDP_PAYLOAD, record.dnsClass() & 0xffff);
                }
                ReferenceCountUtil.release(record);
            }
            return new Answers.Query(client, local, id, recursionDesired, Answers.Question.of(question), edns, payload);
        } catch (Exception e) {
            return null; // truncated, pointer loop, bad label: the codec says it cannot be read
        }
    }

    /**
     * Whether the name at {@code offset} is one the node can judge ({@link WireNames#judgeable}):
     * the codec gives the name as text, where {@code a.b} in one label reads as two labels and a
     * NUL cannot be written back, and it does not count octets across compression pointers.
     */
    static boolean judgeableName(ByteBuf in, int start, int offset) {
        return WireNames.judgeable(in, start, offset) != null;
    }

    /** Answers and forwarded queries are written as each datagram is read and sent once per batch read. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        upstream.flush();
    }

    private static void reply(ChannelHandlerContext ctx, Answers.Query query, DnsResponseCode code, int edeCode, String text) {
        ctx.write(Answers.answer(query, code, edeCode, text, ctx.alloc()));
    }
}
