package kz.qaqpa.blocklist.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;

/**
 * How the node's datagram sockets read. Netty's default reads one datagram per system call into a
 * 2,048-byte buffer, which would cut a larger upstream answer short. Here every datagram gets room
 * for the largest it may be, and with epoll a batch of them is read by one {@code recvmmsg}.
 */
final class Datagrams {

    /**
     * A query larger than this is not one a resolver sends (RFC 6891 queries carry an OPT record of a
     * few bytes); it arrives cut short, fails to decode and is answered FORMERR.
     */
    static final int MAX_QUERY = 4_096;
    /** The largest UDP payload over IPv4: an upstream answer is relayed whole, whatever size the client allowed. */
    static final int MAX_ANSWER = 65_507;

    private static final int BATCH = 16;
    /** The most a read takes at once: a batch of queries (64 KiB), or of the largest answers (4 × 64 KiB). */
    private static final int MAX_READ = 256 * 1024;
    /**
     * Where the datagram sockets' reads and answers come from. Netty's default (adaptive) allocator
     * pools nothing above 16,896 bytes when the JVM has less than 512 MiB, as a node has: every
     * batched read was a fresh direct buffer, zeroed and freed — 9 % of a node's CPU while it
     * forwarded (BENCHMARKS.md, DNS). This pool has one arena of 512 KiB chunks (pages of 8 KiB),
     * so a read takes a run of pages that is given back when the last datagram in it is released.
     */
    private static final ByteBufAllocator POOL = new PooledByteBufAllocator(true, 0, 1, 8_192, 6, 0, 0, false);

    private Datagrams() {
    }

    static Bootstrap batched(Bootstrap bootstrap, boolean epoll, int maxDatagram) {
        bootstrap.option(ChannelOption.ALLOCATOR, POOL);
        if (!epoll) {
            return bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagram));
        }
        int batch = Math.max(1, Math.min(BATCH, MAX_READ / maxDatagram));
        return bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagram)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagram * batch));
    }
}
