package kz.qaqpa.blocklist.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends allowed queries to the upstream resolver and relays its answers, but for the query ID: each
 * forwarded query gets an ID of its own while it is in flight (two clients may use the same ID), and
 * the answer gets the client's ID back. An upstream that does not answer within the timeout earns
 * the client a SERVFAIL.
 *
 * <p>Against forged answers (a blind attacker racing the upstream with answers sent from its
 * address): queries leave from a pool of {@value #SOCKETS} sockets, each connected to the upstream,
 * on ports the system picks at random, one drawn from a cryptographic generator for each batch of
 * queries, each socket retired for a fresh one after {@value #ROTATE_AFTER} queries; IDs come from
 * the same generator. An answer is taken only when it comes from the upstream's address to the
 * socket its query left by, carries the ID of that query and asks its very question (name without
 * regard to case, type, class); anything else is dropped and counted
 * ({@code qaqpa_dns_upstream_answers_dropped_total}). A forgery must so guess a port among thousands
 * and an ID among 65,536 at once. With 0x20 on, the letters of the question name leave in a random
 * case and the answer must echo it exactly (the client gets its own case back): one more bit to
 * guess per letter, for upstreams that echo the question as asked (most do).
 *
 * <p>An answer whose A or AAAA records hold a restricted address is not relayed: the client gets
 * the restricted answer naming the directive, as an RPZ {@code rpz-ip} trigger would give. An
 * answer larger than the client's UDP payload (its EDNS size, 512 without EDNS) is cut to its
 * header and question with TC set, so the client asks again over TCP. One client address has at
 * most {@code perClient} queries in flight, so that it cannot fill the table for everybody.
 *
 * <p>Everything happens on one event loop, the one the node's datagram listener runs on: the table
 * of queries in flight is indexed by ID and needs no locking, and expiry is one sweep every few
 * milliseconds down a queue kept in sending order (every query has the same timeout), not a timer
 * per query. The queue holds numbers, not the queries: an answered query's objects are garbage at
 * once, not at its deadline, so that they die young instead of filling the old generation of a
 * node with a small heap. The queries of one batch read by the listener leave by one socket in one
 * flush, so that they leave in one system call where the transport can.
 */
final class UpstreamForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamForwarder.class);

    /** In-flight queries at most; one ID space of 65,536, kept well below full so a free ID is found at once. */
    private static final int MAX_IN_FLIGHT = 50_000;
    /** Sockets queries leave from; the ports the system gives are random in its ephemeral range. */
    static final int SOCKETS = 512;
    /** Queries a socket carries before it is replaced by a fresh one on another random port. */
    static final int ROTATE_AFTER = 10_000;
    private static final long SWEEP_MILLIS = 20;

    private static final class Pending {
        final Answers.Query query;
        final Channel server;
        final Channel socket;
        final InetAddress client;
        final long deadline;
        /** Which query this is, of all the forwarder sent: what the queue of deadlines names it by. */
        final long sequence;
        /** With 0x20: the question name as the client sent it, and as it left; else null. */
        final byte[] askedName;
        final byte[] sentName;

        Pending(Answers.Query query, Channel server, Channel socket, long deadline, long sequence, byte[] askedName,
                byte[] sentName) {
            this.query = query;
            this.sequence = sequence;
            this.server = server;
            this.socket = socket;
            this.client = query.client().getAddress();
            this.deadline = deadline;
            this.askedName = askedName;
            this.sentName = sentName;
        }
    }

    private final InetSocketAddress upstream;
    private final long timeoutNanos;
    private final Policy policy;
    private final int perClient;
    private final boolean randomiseCase;
    private final Pending[] inFlight = new Pending[1 << 16];
    /**
     * Queries sent, in sending order, a ring: each one's deadline, and its sequence number above its
     * ID (whose slot may hold another query by then). Answered ones are passed over in their turn.
     */
    private long[] sentDeadlines = new long[1024];
    private long[] sentQueries = new long[1024];
    private int sentHead;
    private int sentCount;
    private long sequence;
    /** Queries in flight per client address. */
    private final Map<InetAddress, int[]> clients = new HashMap<>();
    /** IDs and sockets: a cryptographic generator, read a block at a time so that a query costs two bytes of it. */
    private final SecureRandom random = new SecureRandom();
    private final byte[] randomBlock = new byte[4096];
    private int randomNext = randomBlock.length;
    private final Channel[] sockets = new Channel[SOCKETS];
    private final int[] carried = new int[SOCKETS];
    private final boolean[] replacing = new boolean[SOCKETS];
    /** False when fewer sockets than {@link #SOCKETS} could be opened, and slots share them. */
    private boolean rotating = true;
    private final DnsCounters counters;
    private int count;
    /** The socket the current batch of queries leaves by, until {@link #flush}. */
    private int batchSocket = -1;
    /** The listener the last relayed answers were written to, flushed after each batch of answers. */
    private Channel lastServer;
    private Bootstrap bootstrap;
    private ScheduledFuture<?> sweeper;

    UpstreamForwarder(InetSocketAddress upstream, Duration timeout, Policy policy, int perClient, boolean randomiseCase,
                      DnsCounters counters) {
        this.counters = counters;
        this.randomiseCase = randomiseCase;
        this.upstream = upstream;
        this.timeoutNanos = timeout.toNanos();
        this.policy = policy;
        this.perClient = perClient;
    }

    /** Opens the upstream sockets on {@code loop}, the loop every later call must come from. */
    void start(EventLoop loop, Class<? extends DatagramChannel> type) throws InterruptedException {
        bootstrap = Datagrams.batched(new Bootstrap().group(loop).channel(type), type == EpollDatagramChannel.class,
                Datagrams.MAX_ANSWER);
        int opened = 0;
        for (int i = 0; i < SOCKETS; i++) {
            ChannelFuture bound = open().await();
            if (bound.isSuccess()) {
                sockets[opened++] = bound.channel();
            } else if (opened == 0) {
                throw new IllegalStateException("cannot open a socket towards " + upstream, bound.cause());
            } else {
                LOG.warn("Only {} of {} upstream sockets could be opened ({}); the rest reuse them",
                        opened, SOCKETS, bound.cause().toString());
                break;
            }
        }
        for (int i = opened; i < SOCKETS; i++) {
            sockets[i] = sockets[i % opened];
            rotating = false; // a shared socket cannot be replaced in one slot alone
        }
        sweeper = loop.scheduleAtFixedRate(this::expire, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * A socket connected to the upstream: the system takes datagrams for it from the upstream's
     * address and port only, and it listens for nobody else. Bound in the upstream's address family
     * (on a dual-stack socket the upstream's answers would come from an IPv4-mapped address and fail
     * the sender check), port 0: the system picks one at random in its ephemeral range.
     */
    private ChannelFuture open() {
        Bootstrap socket = bootstrap.clone().handler(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket response) {
                relay(response, ctx.channel());
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                flushClients();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // An ICMP "port unreachable" for a query (the upstream is down): its timeout answers it.
                LOG.debug("Upstream socket {}: {}", ctx.channel().localAddress(), cause.toString());
            }
        });
        return socket.connect(upstream,
                new InetSocketAddress(upstream.getAddress() instanceof Inet4Address ? "0.0.0.0" : "::", 0));
    }

    /** Writes the query (whose buffer this takes over) towards the upstream; {@link #flush} sends it. */
    void forward(ByteBuf query, Answers.Query asked, Channel server) {
        int[] ofClient = clients.get(asked.client().getAddress());
        if (count >= MAX_IN_FLIGHT || ofClient != null && ofClient[0] >= perClient) {
            query.release();
            counters.answered(DnsCounters.Answer.OVERLOADED);
            server.write(Answers.answer(asked, DnsResponseCode.SERVFAIL, Answers.EDE_NETWORK_ERROR,
                    ofClient != null && ofClient[0] >= perClient ? "too many queries in flight from this client"
                            : "too many queries in flight", server.alloc()));
            return;
        }
        if (batchSocket < 0) {
            batchSocket = (randomShort() & 0x7fff) % SOCKETS;
        }
        Channel socket = sockets[batchSocket];
        int id;
        do {
            id = randomShort();
        } while (inFlight[id] != null);
        byte[] askedName = null;
        byte[] sentName = null;
        if (randomiseCase) {
            askedName = questionName(query);
            randomiseCase(query, askedName.length);
            sentName = questionName(query);
        }
        Pending entry = new Pending(asked, server, socket, System.nanoTime() + timeoutNanos, ++sequence, askedName, sentName);
        inFlight[id] = entry;
        count++;
        if (ofClient == null) {
            clients.put(entry.client, new int[] {1});
        } else {
            ofClient[0]++;
        }
        queue(entry.deadline, entry.sequence << 16 | id);
        query.setShort(query.readerIndex(), id);
        int sent = id;
        socket.write(query).addListener(write -> {
            if (!write.isSuccess()) {
                LOG.warn("Cannot send a query to {}: {}", upstream, write.cause().toString());
                answerFailed(sent, entry, DnsCounters.Answer.UPSTREAM_FAILED,
                        "the query could not be sent to the upstream resolver");
                server.flush();
            }
        });
        if (++carried[batchSocket] >= ROTATE_AFTER && rotating && !replacing[batchSocket]) {
            replace(batchSocket);
        }
    }

    /**
     * Opens a fresh socket for slot {@code slot}; the old one goes on carrying queries until the new
     * one is bound, then takes answers for those it carried until their timeout, and closes.
     */
    private void replace(int slot) {
        replacing[slot] = true;
        open().addListener((ChannelFuture bound) -> {
            if (!bound.isSuccess()) {
                LOG.warn("Cannot open a fresh upstream socket; keeping the old one: {}", bound.cause().toString());
                carried[slot] = 0;
                replacing[slot] = false;
                return;
            }
            Channel old = sockets[slot];
            old.flush();
            sockets[slot] = bound.channel();
            carried[slot] = 0;
            replacing[slot] = false;
            old.eventLoop().schedule(() -> old.close(), timeoutNanos + TimeUnit.MILLISECONDS.toNanos(2 * SWEEP_MILLIS),
                    TimeUnit.NANOSECONDS);
        });
    }

    /** Sends what {@link #forward} wrote; called once the listener has read a batch. */
    void flush() {
        if (batchSocket >= 0) {
            sockets[batchSocket].flush();
            batchSocket = -1;
        }
    }

    private int randomShort() {
        if (randomNext == randomBlock.length) {
            random.nextBytes(randomBlock);
            randomNext = 0;
        }
        int value = ((randomBlock[randomNext] & 0xff) << 8) | (randomBlock[randomNext + 1] & 0xff);
        randomNext += 2;
        return value;
    }

    /** The question name of a message on the wire, its labels up to the root or a compression pointer. */
    private static byte[] questionName(ByteBuf message) {
        int start = message.readerIndex() + 12;
        int end = start;
        while (end < message.writerIndex() && message.getUnsignedByte(end) != 0 && (message.getUnsignedByte(end) & 0xc0) == 0) {
            end += 1 + message.getUnsignedByte(end);
        }
        byte[] name = new byte[Math.min(end, message.writerIndex()) - start];
        message.getBytes(start, name);
        return name;
    }

    /**
     * Flips the case of each letter of the query's question name at random (0x20, as resolvers do
     * after draft-vixie-dnsext-dns0x20): an upstream echoes the question as asked, so a forger must
     * also guess one bit per letter.
     */
    private void randomiseCase(ByteBuf query, int nameLength) {
        int start = query.readerIndex() + 12;
        int bits = 0;
        int left = 0;
        for (int at = start; at < start + nameLength; ) {
            int length = query.getUnsignedByte(at);
            for (int i = at + 1; i <= at + length; i++) {
                int octet = query.getUnsignedByte(i);
                if ((octet | 0x20) >= 'a' && (octet | 0x20) <= 'z') {
                    if (left == 0) {
                        bits = randomShort();
                        left = 16;
                    }
                    if ((bits & 1) != 0) {
                        query.setByte(i, octet ^ 0x20);
                    }
                    bits >>>= 1;
                    left--;
                }
            }
            at += 1 + length;
        }
    }

    /** Whether the answer's question name is byte for byte the one the query left with. */
    private static boolean sameCase(ByteBuf answer, byte[] sent) {
        int start = answer.readerIndex() + 12;
        if (start + sent.length > answer.writerIndex()) {
            return false;
        }
        for (int i = 0; i < sent.length; i++) {
            if (answer.getByte(start + i) != sent[i]) {
                return false;
            }
        }
        return true;
    }

    private void relay(DatagramPacket response, Channel socket) {
        ByteBuf answer = response.content();
        if (!response.sender().equals(upstream) || answer.readableBytes() < 12) {
            counters.dropped();
            return;
        }
        int id = answer.getUnsignedShort(answer.readerIndex());
        Pending entry = inFlight[id];
        if (entry == null || entry.socket != socket) {
            counters.dropped();
            return; // late, after the timeout answered, never asked, or asked by another socket
        }
        int questionEnd = sameQuestion(answer, entry.query.question());
        if (questionEnd < 0 || entry.sentName != null && !sameCase(answer, entry.sentName)) {
            // another question under a live ID (or another case of it, with 0x20): forged, or an upstream gone wrong
            counters.dropped();
            return;
        }
        if (entry.askedName != null) {
            answer.setBytes(answer.readerIndex() + 12, entry.askedName); // the client's own case back
        }
        settle(id, entry);
        lastServer = entry.server;
        Policy.Verdict verdict = policy.decideAnswer(answer, questionEnd);
        switch (verdict.action()) {
            case RESTRICTED -> {
                counters.answered(DnsCounters.Answer.RESTRICTED);
                entry.server.write(Answers.restricted(Answers.response(entry.query, DnsResponseCode.NXDOMAIN), entry.query,
                        verdict.directive(), policy, entry.server.alloc()));
                return;
            }
            case NOT_READY -> {
                counters.answered(DnsCounters.Answer.NOT_READY);
                entry.server.write(Answers.answer(entry.query, DnsResponseCode.REFUSED, Answers.EDE_NOT_READY,
                        Answers.NOT_READY_TEXT, entry.server.alloc()));
                return;
            }
            case UNREADABLE -> {
                counters.answered(DnsCounters.Answer.UPSTREAM_FAILED);
                entry.server.write(Answers.answer(entry.query, DnsResponseCode.SERVFAIL, Answers.EDE_NETWORK_ERROR,
                        "the upstream resolver's answer cannot be read", entry.server.alloc()));
                return;
            }
            default -> {
                // relayed below
            }
        }
        counters.answered(DnsCounters.Answer.RELAYED);
        ByteBuf relayed = Answers.forClient(answer, questionEnd, entry.query, entry.server.alloc());
        entry.server.write(new DatagramPacket(relayed, entry.query.client()));
    }

    /**
     * Where the answer's question ends, when it has exactly the question asked (name compared without
     * regard to ASCII case, type, class); -1 otherwise. Reads the name's labels in place: an answer's
     * question is never compressed.
     */
    static int sameQuestion(ByteBuf answer, Answers.Question asked) {
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
        if (answer.getUnsignedShort(position) != asked.type()
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

    private void queue(long deadline, long sent) {
        if (sentCount == sentDeadlines.length) { // grown to what the rate times the timeout needs, in order
            long[] deadlines = new long[2 * sentCount];
            long[] queries = new long[2 * sentCount];
            for (int i = 0; i < sentCount; i++) {
                deadlines[i] = sentDeadlines[(sentHead + i) & (sentCount - 1)];
                queries[i] = sentQueries[(sentHead + i) & (sentCount - 1)];
            }
            sentDeadlines = deadlines;
            sentQueries = queries;
            sentHead = 0;
        }
        int at = (sentHead + sentCount++) & (sentDeadlines.length - 1);
        sentDeadlines[at] = deadline;
        sentQueries[at] = sent;
    }

    private void expire() {
        long now = System.nanoTime();
        Channel touched = null;
        while (sentCount > 0 && sentDeadlines[sentHead] - now <= 0) {
            long sent = sentQueries[sentHead];
            sentHead = (sentHead + 1) & (sentDeadlines.length - 1);
            sentCount--;
            int id = (int) (sent & 0xffff);
            Pending pending = inFlight[id];
            if (pending != null && pending.sequence == sent >>> 16) {
                answerFailed(id, pending, DnsCounters.Answer.UPSTREAM_TIMEOUT, "the upstream resolver did not answer");
                touched = pending.server;
            }
        }
        if (touched != null) {
            touched.flush();
        }
    }

    private void answerFailed(int id, Pending entry, DnsCounters.Answer why, String text) {
        if (inFlight[id] != entry) {
            return; // answered meanwhile
        }
        settle(id, entry);
        counters.answered(why);
        entry.server.write(Answers.answer(entry.query, DnsResponseCode.SERVFAIL,
                Answers.EDE_NETWORK_ERROR, text, entry.server.alloc()));
    }

    /** The query is no longer in flight: its ID free again, its client's count one less. */
    private void settle(int id, Pending entry) {
        inFlight[id] = null;
        count--;
        int[] ofClient = clients.get(entry.client);
        if (--ofClient[0] == 0) {
            clients.remove(entry.client);
        }
    }

    void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (Channel socket : sockets) {
            if (socket != null) {
                socket.close().syncUninterruptibly();
            }
        }
    }
}
