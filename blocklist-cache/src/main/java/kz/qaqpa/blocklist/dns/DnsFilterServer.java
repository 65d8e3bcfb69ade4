package kz.qaqpa.blocklist.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.blocklist.matcher.BlocklistView;
import kz.qaqpa.blocklist.model.PolicyZoneApex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filtering node's DNS service over UDP and TCP, on one address and port:
 * {@code decode → look up → answer or forward → encode}, one small handler each
 * ({@link QueryHandler} / {@link TcpQueryHandler}, {@link Policy}, {@link UpstreamForwarder} /
 * {@link TcpForwarder}, Netty's codec). Epoll where the platform has it, NIO elsewhere.
 *
 * <p>A restricted name, or a name below one restricted with its subdomains, is answered NXDOMAIN
 * with Extended DNS Error 16 "Censored" naming the directive; any other name is forwarded to the
 * upstream resolver. Until the blocklist view holds a consistent state every query is REFUSED:
 * the node never fails open.
 */
public final class DnsFilterServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DnsFilterServer.class);

    /**
     * @param address         where to listen
     * @param upstream        the resolver allowed names are forwarded to
     * @param upstreamTimeout how long to wait for it before answering SERVFAIL
     * @param sinkhole        where restricted names point, if anywhere (else NXDOMAIN)
     * @param policyZone      the zone whose SOA negative answers carry (the gateway's {@code rpz-origin})
     * @param negativeTtl     how long, in seconds, resolvers may cache a negative answer
     * @param clientInFlight  forwarded queries one client address may have in flight at once
     * @param upstreamTcp     forward UDP clients' queries over TCP too (a forger must then inject into a connection)
     * @param randomiseCase   0x20: send question names in a random case, and take only answers that echo it
     */
    public record Settings(InetSocketAddress address, InetSocketAddress upstream, Duration upstreamTimeout, Sinkhole sinkhole,
                           String policyZone, long negativeTtl, int clientInFlight, boolean upstreamTcp,
                           boolean randomiseCase) {

        public static final String DEFAULT_POLICY_ZONE = PolicyZoneApex.DEFAULT_ORIGIN;
        public static final long DEFAULT_NEGATIVE_TTL = ZoneApex.TTL;
        public static final int DEFAULT_CLIENT_IN_FLIGHT = 2_000;

        public Settings(InetSocketAddress address, InetSocketAddress upstream, Duration upstreamTimeout, Sinkhole sinkhole) {
            this(address, upstream, upstreamTimeout, sinkhole, DEFAULT_POLICY_ZONE, DEFAULT_NEGATIVE_TTL, DEFAULT_CLIENT_IN_FLIGHT,
                    false, false);
        }

        public Settings(InetSocketAddress address, InetSocketAddress upstream, Duration upstreamTimeout) {
            this(address, upstream, upstreamTimeout, Sinkhole.none());
        }
    }

    /** A TCP connection idle this long is closed (RFC 7766 §6.2.3), so idle clients cannot hold the node's sockets. */
    private static final Duration TCP_IDLE = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final Channel channel;
    private final Channel tcp;
    private final UpstreamForwarder forwarder;
    private final DnsCounters counters;

    private DnsFilterServer(EventLoopGroup group, Channel channel, Channel tcp, UpstreamForwarder forwarder,
                            DnsCounters counters) {
        this.counters = counters;
        this.group = group;
        this.channel = channel;
        this.tcp = tcp;
        this.forwarder = forwarder;
    }

    /** Binds and returns once the node accepts queries. */
    public static DnsFilterServer start(Settings settings, BlocklistView blocklist) throws InterruptedException {
        return start(settings, blocklist, new DnsCounters());
    }

    /** Binds and returns once the node accepts queries, counting its answers in {@code counters}. */
    public static DnsFilterServer start(Settings settings, BlocklistView blocklist, DnsCounters counters)
            throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends DatagramChannel> type = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        Class<? extends ServerSocketChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends SocketChannel> socketType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        try {
            // The datagram listener and its upstream socket share one event loop: a forwarded query,
            // its answer, its timeout and the relay to the client then never cross threads.
            EventLoop datagramLoop = group.next();
            Policy policy = new Policy(blocklist, settings.sinkhole(), settings.policyZone(), settings.negativeTtl());
            UpstreamForwarder forwarder = new UpstreamForwarder(settings.upstream(), settings.upstreamTimeout(), policy,
                    settings.clientInFlight(), settings.randomiseCase(), counters);
            forwarder.start(datagramLoop, type);
            TcpForwarder tcpForwarder = new TcpForwarder(settings.upstream(), settings.upstreamTimeout(), group, socketType,
                    policy, counters);
            Bootstrap udp = Datagrams.batched(new Bootstrap().group(datagramLoop).channel(type), epoll, Datagrams.MAX_QUERY)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel channel) {
                            channel.pipeline().addLast(new ResponseEncoder(), new QueryHandler(policy, forwarder,
                                    settings.upstreamTcp() ? tcpForwarder : null, counters));
                        }
                    });
            ServerBootstrap tcpServer = new ServerBootstrap().group(group).channel(serverType)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel connection) {
                            connection.pipeline().addLast(
                                    new ReadTimeoutHandler(TCP_IDLE.toSeconds(), TimeUnit.SECONDS),
                                    new TcpDnsQueryDecoder(new JudgedNameDecoder(), 65_535),
                                    new TcpDnsResponseEncoder(AsciiRecords.ENCODER),
                                    new TcpQueryHandler(policy, tcpForwarder, counters));
                        }
                    });
            SamePort bound = SamePort.bind(udp, tcpServer, settings.address());
            Channel channel = bound.udp();
            Channel tcp = bound.tcp();
            DnsFilterServer server = new DnsFilterServer(group, channel, tcp, forwarder, counters);
            LOG.info("DNS filtering on {} (UDP and TCP, {}), forwarding to {}", server.address(), epoll ? "epoll" : "nio",
                    settings.upstream());
            return server;
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Netty's encoder for the answers made here. It would claim every addressed envelope (its type
     * check sees the erased type), including the upstream's answers relayed as raw datagrams, which
     * must pass untouched.
     */
    private static final class ResponseEncoder extends DatagramDnsResponseEncoder {
        ResponseEncoder() {
            super(AsciiRecords.ENCODER);
        }

        @Override
        public boolean acceptOutboundMessage(Object message) {
            return message instanceof DatagramDnsResponse;
        }
    }

    /** What it has answered, by how. */
    public DnsCounters counters() {
        return counters;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
        forwarder.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
