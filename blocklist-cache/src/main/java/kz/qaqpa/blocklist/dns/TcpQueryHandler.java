package kz.qaqpa.blocklist.dns;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;

/**
 * A DNS query over TCP (RFC 7766), already framed and decoded by Netty's codec: the same decision
 * as over UDP, answered on the same connection; allowed names go to the upstream over TCP too, so
 * that answers too large for a datagram arrive whole.
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<DnsQuery> {

    private final Policy policy;
    private final TcpForwarder upstream;
    private final DnsCounters counters;

    TcpQueryHandler(Policy policy, TcpForwarder upstream, DnsCounters counters) {
        this.policy = policy;
        this.counters = counters;
        this.upstream = upstream;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
        InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        DnsQuestion question = query.count(DnsSection.QUESTION) == 1 ? query.recordAt(DnsSection.QUESTION) : null;
        if (question instanceof JudgedNameDecoder.Unjudgeable) {
            question = null; // FORMERR, as over UDP: a name the node cannot judge is not one to forward either
        }
        boolean edns = false;
        for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
            edns |= query.recordAt(DnsSection.ADDITIONAL, i).type() == DnsRecordType.OPT;
        }
        Answers.Query asked = new Answers.Query(client, local, query.id(), query.isRecursionDesired(),
                question == null ? null : Answers.Question.of(question), edns);
        if (query.opCode() != DnsOpCode.QUERY || question == null || query.count(DnsSection.ANSWER) != 0) {
            boolean notQuery = query.opCode() != DnsOpCode.QUERY;
            counters.answered(notQuery ? DnsCounters.Answer.NOT_IMPLEMENTED : DnsCounters.Answer.MALFORMED);
            reply(ctx, asked, notQuery ? DnsResponseCode.NOTIMP : DnsResponseCode.FORMERR, 0, "");
            return;
        }
        Policy.Verdict verdict = policy.decide(question.name());
        switch (verdict.action()) {
            case NOT_READY -> {
                counters.answered(DnsCounters.Answer.NOT_READY);
                reply(ctx, asked, DnsResponseCode.REFUSED, Answers.EDE_NOT_READY, Answers.NOT_READY_TEXT);
            }
            case RESTRICTED -> {
                counters.answered(DnsCounters.Answer.RESTRICTED);
                ctx.writeAndFlush(Answers.restricted(new DefaultDnsResponse(asked.id(), DnsOpCode.QUERY,
                        DnsResponseCode.NXDOMAIN), asked, verdict.directive(), policy, ctx.alloc()));
            }
            case FORWARD -> upstream.forward(query.retain(), asked, ctx.channel());
            default -> throw new IllegalStateException(verdict.action() + " is no verdict on a query");
        }
    }

    private static void reply(ChannelHandlerContext ctx, Answers.Query query, DnsResponseCode code, int edeCode, String text) {
        ctx.writeAndFlush(Answers.fill(new DefaultDnsResponse(query.id(), DnsOpCode.QUERY, code), query, edeCode, text, ctx.alloc()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a frame the codec cannot read: the connection is not worth keeping
    }
}
