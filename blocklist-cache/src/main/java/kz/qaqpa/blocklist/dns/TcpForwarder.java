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
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Forwards a query to the upstream resolver over TCP, on a connection of its own, and relays the
 * answer — it keeps the client's query ID, since nothing else shares the connection — when it
 * answers the question asked and none of its addresses is restricted (then the client gets the
 * restricted answer, as over UDP). An upstream that cannot be reached, or does not answer in time
 * or to the point, earns the client a SERVFAIL.
 *
 * <p>Queries that came over TCP always go this way; with {@code upstream-tcp}, those that came over
 * UDP too, and their answers go back by datagram, cut to the client's UDP payload with TC set when
 * too large. Over TCP a forger must inject into a connection rather than race one datagram.
 */
final class TcpForwarder {

    private final InetSocketAddress upstream;
    private final Duration timeout;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> type;
    private final Policy policy;
    private final DnsCounters counters;

    TcpForwarder(InetSocketAddress upstream, Duration timeout, EventLoopGroup group, Class<? extends SocketChannel> type,
                 Policy policy, DnsCounters counters) {
        this.policy = policy;
        this.counters = counters;
        this.upstream = upstream;
        this.timeout = timeout;
        this.group = group;
        this.type = type;
    }

    /** Sends a TCP client's query (whose reference this takes over) and answers the client on its connection. */
    void forward(DnsQuery query, Answers.Query asked, Channel client) {
        connect(new Client(asked, client, true, counters), query);
    }

    /** Sends a UDP client's query (whose buffer this takes over) over TCP and answers the client by datagram on {@code server}. */
    void forwardDatagram(ByteBuf query, Answers.Query asked, Channel server) {
        ByteBuf framed = server.alloc().buffer(2 + query.readableBytes());
        framed.writeShort(query.readableBytes()).writeBytes(query);
        query.release();
        connect(new Client(asked, server, false, counters), framed);
    }

    private void connect(Client client, Object query) {
        new Bootstrap().group(group).channel(type)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new ReadTimeoutHandler(timeout.toMillis(), TimeUnit.MILLISECONDS),
                                new LengthFieldBasedFrameDecoder(2 + 65_535, 0, 2, 0, 2),
                                new TcpDnsQueryEncoder(),
                                new Relay(client, policy));
                    }
                })
                .connect(upstream)
                .addListener((ChannelFutureListener) connected -> {
                    if (connected.isSuccess()) {
                        connected.channel().writeAndFlush(query);
                    } else {
                        io.netty.util.ReferenceCountUtil.release(query);
                        client.servfail(DnsCounters.Answer.UPSTREAM_TIMEOUT, "the upstream resolver cannot be reached");
                    }
                });
    }

    /** Where the answer goes: the client's TCP connection, or the datagram listener it asked on. */
    private record Client(Answers.Query asked, Channel channel, boolean tcp, DnsCounters counters) {

        DnsResponse response(DnsResponseCode code) {
            return tcp ? new DefaultDnsResponse(asked.id(), DnsOpCode.QUERY, code) : Answers.response(asked, code);
        }

        void servfail(DnsCounters.Answer why, String text) {
            counters.answered(why);
            channel.writeAndFlush(Answers.fill(response(DnsResponseCode.SERVFAIL), asked, Answers.EDE_NETWORK_ERROR, text,
                    channel.alloc()));
        }

        /** The upstream's answer (no length prefix), as it came but for the ID; over UDP cut to the client's size. */
        void relay(ByteBuf message, int questionEnd) {
            counters.answered(DnsCounters.Answer.RELAYED);
            if (tcp) {
                ByteBuf framed = channel.alloc().buffer(2 + message.readableBytes());
                framed.writeShort(message.readableBytes()).writeBytes(message, message.readerIndex(), message.readableBytes());
                channel.writeAndFlush(framed);
            } else {
                channel.writeAndFlush(new DatagramPacket(Answers.forClient(message, questionEnd, asked, channel.alloc()),
                        asked.client()));
            }
        }
    }

    /** Judges the upstream's answer and hands the client what it earns. */
    private static final class Relay extends SimpleChannelInboundHandler<ByteBuf> {
        private final Client client;
        private final Policy policy;
        private boolean answered;

        Relay(Client client, Policy policy) {
            this.client = client;
            this.policy = policy;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf message) {
            answered = true;
            ctx.close();
            Answers.Query asked = client.asked();
            int questionEnd = message.readableBytes() < 12 || message.getUnsignedShort(message.readerIndex()) != asked.id()
                    ? -1 : UpstreamForwarder.sameQuestion(message, asked.question());
            if (questionEnd < 0) {
                client.servfail(DnsCounters.Answer.UPSTREAM_FAILED, "the upstream resolver answered another question");
                return;
            }
            Policy.Verdict verdict = policy.decideAnswer(message, questionEnd);
            Channel channel = client.channel();
            switch (verdict.action()) {
                case FORWARD -> client.relay(message, questionEnd);
                case RESTRICTED -> {
                    client.counters().answered(DnsCounters.Answer.RESTRICTED);
                    channel.writeAndFlush(Answers.restricted(client.response(DnsResponseCode.NXDOMAIN), asked,
                            verdict.directive(), policy, channel.alloc()));
                }
                case NOT_READY -> {
                    client.counters().answered(DnsCounters.Answer.NOT_READY);
                    channel.writeAndFlush(Answers.fill(client.response(DnsResponseCode.REFUSED), asked,
                            Answers.EDE_NOT_READY, Answers.NOT_READY_TEXT, channel.alloc()));
                }
                case UNREADABLE -> client.servfail(DnsCounters.Answer.UPSTREAM_FAILED,
                        "the upstream resolver's answer cannot be read");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!answered) {
                answered = true;
                if (cause instanceof ReadTimeoutException) {
                    client.servfail(DnsCounters.Answer.UPSTREAM_TIMEOUT, "the upstream resolver did not answer");
                } else {
                    client.servfail(DnsCounters.Answer.UPSTREAM_FAILED, "the upstream resolver failed");
                }
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!answered) {
                answered = true;
                client.servfail(DnsCounters.Answer.UPSTREAM_FAILED, "the upstream resolver closed the connection");
            }
        }
    }
}
