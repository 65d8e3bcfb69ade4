package kz.qaqpa.blocklist.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends allowed queries to the upstream resolver and relays its answers unchanged, but for the
 * query ID: each forwarded query gets an ID of its own while it is in flight (two clients may use
 * the same ID), and the answer gets the client's ID back. An upstream that does not answer within
 * the timeout earns the client a SERVFAIL. Answers from any other address are ignored.
 */
final class UpstreamForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamForwarder.class);

    /** In-flight queries at most; one ID space of 65,536, kept well below full. */
    private static final int MAX_IN_FLIGHT = 50_000;

    private record Pending(Answers.Query query, Channel server, ScheduledFuture<?> timeout) {
    }

    private final InetSocketAddress upstream;
    private final Duration timeout;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private Channel channel;

    UpstreamForwarder(InetSocketAddress upstream, Duration timeout) {
        this.upstream = upstream;
        this.timeout = timeout;
    }

    void start(EventLoopGroup group, Class<? extends DatagramChannel> type) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(type)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket response) {
                        relay(response);
                    }
                })
                // Bound in the upstream's address family: on a dual-stack socket its answers would come
                // from an IPv4-mapped IPv6 address and fail the sender check below.
                .bind(new InetSocketAddress(upstream.getAddress() instanceof Inet4Address ? "0.0.0.0" : "::", 0))
                .sync().channel();
    }

    /** Sends the query (whose buffer this takes over) upstream. */
    void forward(ByteBuf query, Answers.Query asked, Channel server) {
        if (pending.size() >= MAX_IN_FLIGHT) {
            query.release();
            server.writeAndFlush(Answers.answer(asked, DnsResponseCode.SERVFAIL, Answers.EDE_NETWORK_ERROR,
                    "too many queries in flight", server.alloc()));
            return;
        }
        int id;
        Pending entry;
        do {
            id = ThreadLocalRandom.current().nextInt(1 << 16);
            int claimed = id;
            entry = new Pending(asked, server,
                    server.eventLoop().schedule(() -> timedOut(claimed), timeout.toMillis(), TimeUnit.MILLISECONDS));
            if (pending.putIfAbsent(id, entry) == null) {
                break;
            }
            entry.timeout().cancel(false);
        } while (true);
        query.setShort(query.readerIndex(), id);
        int sent = id;
        channel.writeAndFlush(new DatagramPacket(query, upstream)).addListener(write -> {
            if (!write.isSuccess()) {
                LOG.warn("Cannot send a query to {}: {}", upstream, write.cause().toString());
                timedOut(sent);
            }
        });
    }

    private void relay(DatagramPacket response) {
        ByteBuf answer = response.content();
        if (!response.sender().equals(upstream) || answer.readableBytes() < 12) {
            return;
        }
        Pending entry = pending.remove(answer.getUnsignedShort(answer.readerIndex()));
        if (entry == null) {
            return; // late, after the timeout answered, or never asked
        }
        entry.timeout().cancel(false);
        ByteBuf relayed = answer.retain();
        relayed.setShort(relayed.readerIndex(), entry.query().id());
        entry.server().writeAndFlush(new DatagramPacket(relayed, entry.query().client()));
    }

    private void timedOut(int id) {
        Pending entry = pending.remove(id);
        if (entry != null) {
            entry.server().writeAndFlush(Answers.answer(entry.query(), DnsResponseCode.SERVFAIL,
                    Answers.EDE_NETWORK_ERROR, "the upstream resolver did not answer", entry.server().alloc()));
        }
    }

    void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        pending.values().forEach(entry -> entry.timeout().cancel(false));
    }
}
