package kz.qaqpa.blocklist.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Forwards a TCP query to the upstream resolver on a connection of its own and relays the framed
 * answer unchanged — it keeps the client's query ID, since nothing else shares the connection —
 * when it answers the question asked and none of its addresses is restricted (then the client gets
 * the restricted answer, as over UDP). An upstream that cannot be reached, or does not answer in
 * time or to the point, earns the client a SERVFAIL.
 */
final class TcpForwarder {

    private final InetSocketAddress upstream;
    private final Duration timeout;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> type;
    private final Policy policy;

    TcpForwarder(InetSocketAddress upstream, Duration timeout, EventLoopGroup group, Class<? extends SocketChannel> type,
                 Policy policy) {
        this.policy = policy;
        this.upstream = upstream;
        this.timeout = timeout;
        this.group = group;
        this.type = type;
    }

    /** Sends the query (whose reference this takes over) and answers the client when the upstream does. */
    void forward(DnsQuery query, Answers.Query asked, Channel client) {
        new Bootstrap().group(group).channel(type)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new ReadTimeoutHandler(timeout.toMillis(), TimeUnit.MILLISECONDS),
                                new LengthFieldBasedFrameDecoder(65_535, 0, 2, 0, 0),
                                new TcpDnsQueryEncoder(),
                                new Relay(asked, client, policy));
                    }
                })
                .connect(upstream)
                .addListener((ChannelFutureListener) connected -> {
                    if (connected.isSuccess()) {
                        connected.channel().writeAndFlush(query);
                    } else {
                        query.release();
                        servfail(asked, client, "the upstream resolver cannot be reached");
                    }
                });
    }

    private static void servfail(Answers.Query asked, Channel client, String text) {
        client.writeAndFlush(Answers.fill(new DefaultDnsResponse(asked.id(), DnsOpCode.QUERY, DnsResponseCode.SERVFAIL),
                asked, Answers.EDE_NETWORK_ERROR, text, client.alloc()));
    }

    /** Hands the upstream's framed answer (length prefix included) to the client as it came, once judged. */
    private static final class Relay extends SimpleChannelInboundHandler<ByteBuf> {
        private final Answers.Query asked;
        private final Channel client;
        private final Policy policy;
        private boolean answered;

        Relay(Answers.Query asked, Channel client, Policy policy) {
            this.asked = asked;
            this.client = client;
            this.policy = policy;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf framed) {
            answered = true;
            ctx.close();
            ByteBuf message = framed.slice(framed.readerIndex() + 2, framed.readableBytes() - 2);
            int questionEnd = message.readableBytes() < 12 || message.getUnsignedShort(0) != asked.id() ? -1
                    : UpstreamForwarder.sameQuestion(message, asked.question());
            if (questionEnd < 0) {
                servfail(asked, client, "the upstream resolver answered another question");
                return;
            }
            Policy.Verdict verdict = policy.decideAnswer(message, questionEnd);
            switch (verdict.action()) {
                case FORWARD -> client.writeAndFlush(framed.retain());
                case RESTRICTED -> client.writeAndFlush(Answers.restricted(new DefaultDnsResponse(asked.id(), DnsOpCode.QUERY,
                        DnsResponseCode.NXDOMAIN), asked, verdict.directive(), policy, client.alloc()));
                case NOT_READY -> client.writeAndFlush(Answers.fill(new DefaultDnsResponse(asked.id(), DnsOpCode.QUERY,
                        DnsResponseCode.REFUSED), asked, Answers.EDE_NOT_READY, Answers.NOT_READY_TEXT, client.alloc()));
                case UNREADABLE -> servfail(asked, client, "the upstream resolver's answer cannot be read");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!answered) {
                answered = true;
                servfail(asked, client, cause instanceof ReadTimeoutException
                        ? "the upstream resolver did not answer" : "the upstream resolver failed");
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!answered) {
                answered = true;
                servfail(asked, client, "the upstream resolver closed the connection");
            }
        }
    }
}
