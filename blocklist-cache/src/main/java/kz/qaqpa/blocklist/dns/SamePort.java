package kz.qaqpa.blocklist.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;

/**
 * A DNS service's UDP and TCP listeners on one address and port. With port 0 the port the system
 * gives UDP may already be taken for TCP; then both are let go and another is asked for.
 *
 * @param udp the datagram channel
 * @param tcp the server socket channel
 */
public record SamePort(Channel udp, Channel tcp) {

    private static final int ATTEMPTS = 10;

    /** Binds both, or throws why the last attempt failed. */
    public static SamePort bind(Bootstrap udp, ServerBootstrap tcp, InetSocketAddress address) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Channel datagrams = udp.bind(address).sync().channel();
            ChannelFuture stream = tcp.bind((InetSocketAddress) datagrams.localAddress()).await();
            if (stream.isSuccess()) {
                return new SamePort(datagrams, stream.channel());
            }
            datagrams.close().sync();
            if (address.getPort() != 0 || attempt == ATTEMPTS) {
                stream.sync(); // throws why
            }
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) udp.localAddress();
    }
}
