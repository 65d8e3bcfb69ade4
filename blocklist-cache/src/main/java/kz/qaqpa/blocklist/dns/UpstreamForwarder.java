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
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends allowed queries to the upstream resolver and relays its answers unchanged, but for the
 * query ID: each forwarded query gets an ID of its own while it is in flight (two clients may use
 * the same ID), and the answer gets the client's ID back. An upstream that does not answer within
 * the timeout earns the client a SERVFAIL.
 *
 * <p>An answer is taken only when it comes from the upstream's address, carries the ID of a query in
 * flight — IDs are drawn from a cryptographic generator, so they cannot be predicted — and asks the
 * very question of that query (name without regard to case, type, class); anything else is dropped
 * and counted ({@link #dropped()}), so a forged answer must guess the ID and fit the question. An
 * answer larger than the client's UDP payload (its EDNS size, 512 without EDNS) is cut to its
 * header and question with TC set, so the client asks again over TCP.
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
    /** The TC bit of the header's flags. */
    private static final int TRUNCATED = 0x0200;

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
    /** Query IDs: a cryptographic generator, read a block at a time so that a query costs two bytes of it. */
    private final SecureRandom random = new SecureRandom();
    private final byte[] idBlock = new byte[4096];
    private int idNext = idBlock.length;
    private long dropped;
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
            id = nextId();
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

    private int nextId() {
        if (idNext == idBlock.length) {
            random.nextBytes(idBlock);
            idNext = 0;
        }
        int id = ((idBlock[idNext] & 0xff) << 8) | (idBlock[idNext + 1] & 0xff);
        idNext += 2;
        return id;
    }

    /** Answers dropped: from another address, for no query in flight, or to another question. */
    long dropped() {
        return dropped;
    }

    private void relay(DatagramPacket response) {
        ByteBuf answer = response.content();
        if (!response.sender().equals(upstream) || answer.readableBytes() < 12) {
            dropped++;
            return;
        }
        int id = answer.getUnsignedShort(answer.readerIndex());
        Pending entry = inFlight[id];
        if (entry == null) {
            dropped++;
            return; // late, after the timeout answered, or never asked
        }
        int questionEnd = sameQuestion(answer, entry.query.question());
        if (questionEnd < 0) {
            dropped++; // another question under a live ID: forged, or an upstream gone wrong
            return;
        }
        inFlight[id] = null;
        count--;
        ByteBuf relayed;
        if (answer.readableBytes() > entry.query.udpPayload()) {
            // Too large for the client: the header and the question, with TC, so that it asks over TCP.
            relayed = entry.server.alloc().buffer(questionEnd - answer.readerIndex());
            relayed.writeBytes(answer, answer.readerIndex(), questionEnd - answer.readerIndex());
            relayed.setShort(2, relayed.getUnsignedShort(2) | TRUNCATED);
            relayed.setShort(6, 0);
            relayed.setShort(8, 0);
            relayed.setShort(10, 0);
        } else {
            relayed = answer.retain();
        }
        relayed.setShort(relayed.readerIndex(), entry.query.id());
        entry.server.write(new DatagramPacket(relayed, entry.query.client()));
        lastServer = entry.server;
    }

    /**
     * Where the answer's question ends, when it has exactly the question asked (name compared without
     * regard to ASCII case, type, class); -1 otherwise. Reads the name's labels in place: an answer's
     * question is never compressed.
     */
    static int sameQuestion(ByteBuf answer, DnsQuestion asked) {
        int start = answer.readerIndex();
        if (answer.getUnsignedShort(start + 4) != 1) {
            return -1;
        }
        String name = asked.name();
        int position = start + 12;
        int at = 0;
        int end = answer.writerIndex();
        while (position < end) {
            int length = answer.getUnsignedByte(position++);
            if (length == 0) {
                break;
            }
            if (length > 63 || position + length > end) {
                return -1;
            }
            if (at > 0) {
                if (at >= name.length() || name.charAt(at) != '.') {
                    return -1;
                }
                at++;
            }
            for (int i = 0; i < length; i++, at++) {
                if (at >= name.length()
                        || Character.toLowerCase((char) answer.getUnsignedByte(position + i)) != Character.toLowerCase(name.charAt(at))) {
                    return -1;
                }
            }
            position += length;
        }
        boolean wholeName = at == name.length() || (at == name.length() - 1 && name.charAt(at) == '.');
        if (!wholeName || position + 4 > end) {
            return -1;
        }
        if (answer.getUnsignedShort(position) != asked.type().intValue()
                || answer.getUnsignedShort(position + 2) != asked.dnsClass()) {
            return -1;
        }
        return position + 4;
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
