package kz.qaqpa.blocklist.dns;

import io.netty.bootstrap.Bootstrap;
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

    private Datagrams() {
    }

    static Bootstrap batched(Bootstrap bootstrap, boolean epoll, int maxDatagram) {
        if (!epoll) {
            return bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagram));
        }
        int batch = maxDatagram > MAX_QUERY ? BATCH / 2 : BATCH;
        return bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagram)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagram * batch));
    }
}
