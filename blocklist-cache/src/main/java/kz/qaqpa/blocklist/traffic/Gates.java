package kz.qaqpa.blocklist.traffic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The first handlers of a subscriber's connection: where it was going, then what it speaks. */
final class Gates {

    private Gates() {
    }

    /**
     * Reads the PROXY protocol header (v1 or v2; Netty's decoder runs before it) for the original
     * destination. A LOCAL header (the balancer's own health check) and anything but TCP are closed.
     */
    static final class ProxyHeader extends ChannelInboundHandlerAdapter {

        private final TrafficFilter filter;
        private ScheduledFuture<?> deadline;

        ProxyHeader(TrafficFilter filter) {
            this.filter = filter;
        }

        /** A header must come within the handshake timeout: a peer that sends none holds no connection. */
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            deadline = ctx.executor().schedule(() -> ctx.close(), filter.settings().handshakeTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            deadline.cancel(false);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof HAProxyMessage header)) {
                ReferenceCountUtil.release(message);
                ctx.close();
                return;
            }
            try {
                HAProxyProxiedProtocol protocol = header.proxiedProtocol();
                if (header.command() != HAProxyCommand.PROXY || protocol.transportProtocol()
                        != HAProxyProxiedProtocol.TransportProtocol.STREAM
                        || protocol.addressFamily() != HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                        && protocol.addressFamily() != HAProxyProxiedProtocol.AddressFamily.AF_IPv6) {
                    ctx.close();
                    return;
                }
                InetSocketAddress destination = new InetSocketAddress(
                        io.netty.util.NetUtil.createInetAddressFromIpAddressString(header.destinationAddress()),
                        header.destinationPort());
                ctx.pipeline().remove(this);
                filter.arrived(ctx.channel(), destination);
            } finally {
                header.release();
            }
        }
    }

    /** Looks at the first byte the subscriber sends and puts the gate for that protocol in its place. */
    static final class Sniffer extends ChannelInboundHandlerAdapter {

        private final TrafficFilter filter;
        private final Connection connection;

        Sniffer(TrafficFilter filter, Connection connection) {
            this.filter = filter;
            this.connection = connection;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ByteBuf bytes = (ByteBuf) message;
            if (!bytes.isReadable()) {
                bytes.release();
                return;
            }
            int first = bytes.getUnsignedByte(bytes.readerIndex());
            ChannelHandler gate;
            if (first == 0x16) {
                gate = new SniGate(filter, connection);
            } else if (first >= 'A' && first <= 'Z' || first >= 'a' && first <= 'z' || first == '\r' || first == '\n') {
                gate = new HttpGate(filter, connection);
            } else {
                // Neither TLS nor HTTP: judged by the destination address, which passed.
                gate = null;
            }
            if (gate == null) {
                ctx.pipeline().remove(this);
            } else {
                ctx.pipeline().replace(this, "gate", gate);
            }
            ctx.fireChannelRead(bytes);
        }
    }
}
