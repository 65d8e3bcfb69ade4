package kz.qaqpa.blocklist.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends allowed queries to the upstream resolver and relays its answers unchanged, but for the
 * query ID: each forwarded query gets an ID of its own while it is in flight (two clients may use
 * the same ID), and the answer gets the client's ID back. An upstream that does not answer within
 * the timeout earns the client a SERVFAIL. Answers from any other address are ignored.
 *
 * <p>Everything happens on one event loop, the one the node's datagram listener runs on: the table
 * of queries in flight is indexed by ID and needs no locking, and expiry is one sweep every few
 * milliseconds down a queue kept in sending order (every query has the same timeout), not a timer
 * per query. Datagrams are written as they are made and flushed once per batch the loop has read,
 * so that a batch leaves in one system call where the transport can.
 */
final class UpstreamForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamForwarder.class);

    /** In-flight queries at most; one ID space of 65,536, kept well below full so a free ID is found at once. */
    private static final int MAX_IN_FLIGHT = 50_000;
    private static final long SWEEP_MILLIS = 20;

    private static final class Pending {
        final Answers.Query query;
        final Channel server;
        final long deadline;

        Pending(Answers.Query query, Channel server, long deadline) {
            this.query = query;
            this.server = server;
            this.deadline = deadline;
        }
    }

    /** A query sent, in sending order: its ID and the entry it had (the slot may have been reused since). */
    private record Sent(int id, Pending pending) {
    }

    private final InetSocketAddress upstream;
    private final long timeoutNanos;
    private final Pending[] inFlight = new Pending[1 << 16];
    private final ArrayDeque<Sent> sendingOrder = new ArrayDeque<>();
    private final SplittableRandom random = new SplittableRandom();
    private int count;
    /** The listener the last relayed answers were written to, flushed after each batch of answers. */
    private Channel lastServer;
    private Channel channel;
    private ScheduledFuture<?> sweeper;

    UpstreamForwarder(InetSocketAddress upstream, Duration timeout) {
        this.upstream = upstream;
        this.timeoutNanos = timeout.toNanos();
    }

    /** Opens the upstream socket on {@code loop}, the loop every later call must come from. */
    void start(EventLoop loop, Class<? extends DatagramChannel> type) throws InterruptedException {
        channel = Datagrams.batched(new Bootstrap().group(loop).channel(type), type == EpollDatagramChannel.class,
                        Datagrams.MAX_ANSWER)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket response) {
                        relay(response);
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        flushClients();
                    }
                })
                // Bound in the upstream's address family: on a dual-stack socket its answers would come
                // from an IPv4-mapped IPv6 address and fail the sender check below.
                .bind(new InetSocketAddress(upstream.getAddress() instanceof Inet4Address ? "0.0.0.0" : "::", 0))
                .sync().channel();
        sweeper = loop.scheduleAtFixedRate(this::expire, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Writes the query (whose buffer this takes over) towards the upstream; {@link #flush} sends it. */
    void forward(ByteBuf query, Answers.Query asked, Channel server) {
        if (count >= MAX_IN_FLIGHT) {
            query.release();
            server.write(Answers.answer(asked, DnsResponseCode.SERVFAIL, Answers.EDE_NETWORK_ERROR,
                    "too many queries in flight", server.alloc()));
            return;
        }
        int id;
        do {
            id = random.nextInt(1 << 16);
        } while (inFlight[id] != null);
        Pending entry = new Pending(asked, server, System.nanoTime() + timeoutNanos);
        inFlight[id] = entry;
        count++;
        sendingOrder.addLast(new Sent(id, entry));
        query.setShort(query.readerIndex(), id);
        int sent = id;
        channel.write(new DatagramPacket(query, upstream)).addListener(write -> {
            if (!write.isSuccess()) {
                LOG.warn("Cannot send a query to {}: {}", upstream, write.cause().toString());
                answerFailed(sent, entry);
                server.flush();
            }
        });
    }

    /** Sends what {@link #forward} wrote; called once the listener has read a batch. */
    void flush() {
        channel.flush();
    }

    private void relay(DatagramPacket response) {
        ByteBuf answer = response.content();
        if (!response.sender().equals(upstream) || answer.readableBytes() < 12) {
            return;
        }
        int id = answer.getUnsignedShort(answer.readerIndex());
        Pending entry = inFlight[id];
        if (entry == null) {
            return; // late, after the timeout answered, or never asked
        }
        inFlight[id] = null;
        count--;
        ByteBuf relayed = answer.retain();
        relayed.setShort(relayed.readerIndex(), entry.query.id());
        entry.server.write(new DatagramPacket(relayed, entry.query.client()));
        lastServer = entry.server;
    }

    private void flushClients() {
        if (lastServer != null) {
            lastServer.flush();
        }
    }

    private void expire() {
        long now = System.nanoTime();
        Channel touched = null;
        while (!sendingOrder.isEmpty() && sendingOrder.peekFirst().pending().deadline - now <= 0) {
            Sent sent = sendingOrder.pollFirst();
            if (inFlight[sent.id()] == sent.pending()) {
                answerFailed(sent.id(), sent.pending());
                touched = sent.pending().server;
            }
        }
        if (touched != null) {
            touched.flush();
        }
    }

    private void answerFailed(int id, Pending entry) {
        if (inFlight[id] != entry) {
            return; // answered meanwhile
        }
        inFlight[id] = null;
        count--;
        entry.server.write(Answers.answer(entry.query, DnsResponseCode.SERVFAIL,
                Answers.EDE_NETWORK_ERROR, "the upstream resolver did not answer", entry.server.alloc()));
    }

    void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }
}
