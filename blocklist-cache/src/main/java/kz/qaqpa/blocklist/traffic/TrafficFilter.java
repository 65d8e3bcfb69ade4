package kz.qaqpa.blocklist.traffic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kz.qaqpa.blocklist.matcher.BlocklistView;
import kz.qaqpa.blocklist.matcher.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The traffic-filtering node: put in the path of subscribers' TCP traffic, it refuses connections
 * to restricted addresses, TLS connections naming a restricted domain (a fatal alert), and HTTP
 * requests for a restricted host or URL (451 naming the directive), and splices everything else to
 * where it was going. Each listener takes traffic one way: {@link Mode#PROXY}, behind the
 * operator's balancer speaking the PROXY protocol (v1 or v2), or {@link Mode#TPROXY}, Linux
 * transparent proxying, where the accepted socket's own address is the original destination.
 *
 * <p>Decisions come from the same verified matcher the DNS node answers from, read once per
 * decision, so a swap never shows a half-applied list. Until the node holds one, connections are
 * refused ({@link Settings#passWithoutList} turns that into passing with an alarm). Subscribers'
 * addresses are personal data and are not logged; verdicts are counted by reason and directive.
 */
public final class TrafficFilter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficFilter.class);

    /** How a listener learns where a connection was going. */
    public enum Mode {
        /** From a PROXY protocol header (v1 or v2) the balancer sends first. */
        PROXY,
        /** From the accepted socket's own address (Linux TPROXY, {@code IP_TRANSPARENT}). */
        TPROXY
    }

    /** The fatal TLS alert a restricted server name is answered with (RFC 8446 §6). */
    public enum TlsAlert {
        UNRECOGNIZED_NAME(112),
        ACCESS_DENIED(49);

        final int code;

        TlsAlert(int code) {
            this.code = code;
        }
    }

    /** What a TLS connection to a host that has restricted URLs, but is not restricted whole, gets: TLS hides the path. */
    public enum UrlHostPolicy {
        /** Let it through: its restricted URLs are refused where the path is seen (plain HTTP). */
        PASS,
        /** Refuse the whole host over TLS. */
        REFUSE
    }

    /** One listening socket. */
    public record Listener(Mode mode, InetSocketAddress address) {

        /** {@code proxy@HOST:PORT} or {@code tproxy@HOST:PORT}. */
        public static Listener parse(String text) {
            int at = text.indexOf('@');
            int colon = text.lastIndexOf(':');
            if (at < 0 || colon < at) {
                throw new IllegalArgumentException("expected proxy@HOST:PORT or tproxy@HOST:PORT, got '" + text + "'");
            }
            Mode mode;
            try {
                mode = Mode.valueOf(text.substring(0, at).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a listener is proxy@ or tproxy@, not '" + text.substring(0, at) + "@'");
            }
            String host = text.substring(at + 1, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65_535 || host.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' has no HOST:PORT");
            }
            return new Listener(mode, new InetSocketAddress(host, port));
        }
    }

    /**
     * @param listeners        where it takes traffic, and how
     * @param publicUrl        the gateway's public address, which refusals link to ({@code blocked-by})
     * @param reset            refuse a restricted address with a TCP reset (else a plain close)
     * @param alert            the TLS alert a restricted server name gets
     * @param urlHosts         what a TLS connection to a host that only has restricted URLs gets
     * @param passWithoutList  before the node holds a verified list, pass traffic unjudged (with an alarm) instead of refusing it
     * @param idle             a connection idle this long both ways is closed
     * @param connectTimeout   how long connecting to a destination may take
     * @param handshakeTimeout how long a TLS client may take to send its ClientHello, a balancer its PROXY header
     * @param maxConnections   subscribers' connections open at once; one more is reset at once (memory stays bounded)
     */
    public record Settings(List<Listener> listeners, Optional<String> publicUrl, boolean reset, TlsAlert alert,
                           UrlHostPolicy urlHosts, boolean passWithoutList, Duration idle, Duration connectTimeout,
                           Duration handshakeTimeout, int maxConnections) {

        public static final Duration DEFAULT_IDLE = Duration.ofMinutes(5);
        public static final int DEFAULT_MAX_CONNECTIONS = 100_000;

        public Settings {
            listeners = List.copyOf(listeners);
        }

        /** The defaults: reset, {@code unrecognized_name}, pass hosts of URLs over TLS, refuse without a list. */
        public static Settings of(List<Listener> listeners, Optional<String> publicUrl) {
            return new Settings(listeners, publicUrl, true, TlsAlert.UNRECOGNIZED_NAME, UrlHostPolicy.PASS,
                    false, DEFAULT_IDLE, Duration.ofSeconds(10), Duration.ofSeconds(10), DEFAULT_MAX_CONNECTIONS);
        }

        public Settings withAlert(String name) {
            return new Settings(listeners, publicUrl, reset, choice(TlsAlert.class, name), urlHosts,
                    passWithoutList, idle, connectTimeout, handshakeTimeout, maxConnections);
        }

        public Settings withUrlHosts(String policy) {
            return new Settings(listeners, publicUrl, reset, alert, choice(UrlHostPolicy.class, policy),
                    passWithoutList, idle, connectTimeout, handshakeTimeout, maxConnections);
        }

        /** One of an enum's constants, written in lower case; the error names them all. */
        private static <E extends Enum<E>> E choice(Class<E> type, String name) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList() + ", not '" + name + "'");
        }

        public Settings withMaxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("at least 1 connection, not " + max);
            }
            return new Settings(listeners, publicUrl, reset, alert, urlHosts, passWithoutList, idle, connectTimeout,
                    handshakeTimeout, max);
        }

        public Settings withRefusal(String refusal) {
            if (!refusal.equals("reset") && !refusal.equals("close")) {
                throw new IllegalArgumentException("refusal is reset or close, not '" + refusal + "'");
            }
            return new Settings(listeners, publicUrl, refusal.equals("reset"), alert, urlHosts, passWithoutList, idle,
                    connectTimeout, handshakeTimeout, maxConnections);
        }

        public Settings withoutList(String policy) {
            if (!policy.equals("refuse") && !policy.equals("pass")) {
                throw new IllegalArgumentException("without a list: refuse or pass, not '" + policy + "'");
            }
            return new Settings(listeners, publicUrl, reset, alert, urlHosts, policy.equals("pass"), idle, connectTimeout,
                    handshakeTimeout, maxConnections);
        }
    }

    private final Settings settings;
    private final BlocklistView blocklist;
    private final MeterRegistry metrics;
    private final BlockPage blockPage;
    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup group;
    private final List<Channel> bound = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Counter passedUnjudged;
    private final Counter tooMany;
    private final Set<InetAddress> localAddresses = localAddresses();

    private TrafficFilter(Settings settings, BlocklistView blocklist, MeterRegistry metrics) {
        this.settings = settings;
        this.blocklist = blocklist;
        this.metrics = metrics;
        this.blockPage = new BlockPage(settings.publicUrl());
        // One event loop per core: a connection and its destination share one, and a relay gains
        // nothing from two loops taking turns on a core (measured: a fifth more requests a second).
        this.group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Gauge.builder("qaqpa_traffic_connections", open, AtomicInteger::get)
                .description("Subscribers' connections open through the traffic filter").register(metrics);
        Gauge.builder("qaqpa_traffic_list_held", blocklist, view -> view.current().isPresent() ? 1 : 0)
                .description("1 when the traffic filter holds a verified list; 0: it refuses (or, configured so, passes unjudged)")
                .register(metrics);
        this.passedUnjudged = Counter.builder("qaqpa_traffic_passed_unjudged_total")
                .description("Connections passed without a verified list (pass-without-list); an alarm").register(metrics);
        this.tooMany = Counter.builder("qaqpa_traffic_over_limit_total")
                .description("Connections reset because max-connections were open").register(metrics);
    }

    /** Binds every listener; returns once they accept connections. */
    public static TrafficFilter start(Settings settings, BlocklistView blocklist, MeterRegistry metrics)
            throws InterruptedException {
        TrafficFilter filter = new TrafficFilter(settings, blocklist, metrics);
        try {
            for (Listener listener : settings.listeners()) {
                filter.bind(listener);
            }
        } catch (InterruptedException | RuntimeException e) {
            filter.close();
            throw e;
        }
        return filter;
    }

    private void bind(Listener listener) throws InterruptedException {
        if (listener.mode() == Mode.TPROXY && !epoll) {
            throw new IllegalStateException("transparent proxying (tproxy@) needs Linux's epoll transport");
        }
        ServerBootstrap server = new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                // TCP_NODELAY is Netty's default on both sides; setting it again costs a call a socket.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.closeFuture().addListener(closed -> open.decrementAndGet());
                        if (open.incrementAndGet() > settings.maxConnections()) {
                            tooMany.increment();
                            channel.config().setOption(ChannelOption.SO_LINGER, 0);
                            channel.close();
                            return;
                        }
                        if (listener.mode() == Mode.PROXY) {
                            channel.pipeline().addLast(new HAProxyMessageDecoder(), new Gates.ProxyHeader(TrafficFilter.this));
                        } else {
                            arrived(channel, channel.localAddress());
                        }
                    }
                });
        if (listener.mode() == Mode.TPROXY) {
            server.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        Channel channel = server.bind(listener.address()).sync().channel();
        bound.add(channel);
        LOG.info("Traffic filtering on {} ({}, {})", channel.localAddress(), listener.mode() == Mode.PROXY
                ? "PROXY protocol v1/v2" : "transparent proxying", epoll ? "epoll" : "nio");
    }

    /** A connection whose destination is known: judged by address, then connected and its first bytes sniffed. */
    void arrived(Channel client, InetSocketAddress destination) {
        Connection connection = new Connection(this, client, destination);
        client.pipeline().addLast(connection.new ClientEnd());
        if (isSelf(destination)) {
            // A connection to the node's own listener (a subscriber dialling it, tproxied back to
            // it) would make the node connect to itself, again and again.
            connection.refuse(true);
            return;
        }
        Optional<Matcher> matcher = blocklist.current();
        if (matcher.isEmpty()) {
            count(Verdict.NO_LIST);
            if (!settings.passWithoutList()) {
                connection.refuse(settings.reset());
                return;
            }
            passedUnjudged.increment();
            connection.open();
            return;
        }
        Verdict verdict = Judge.address(matcher.get(), destination.getAddress());
        if (!verdict.passes()) {
            count(verdict);
            connection.refuse(settings.reset());
            return;
        }
        client.pipeline().addBefore(client.pipeline().context(Connection.ClientEnd.class).name(), "sniffer",
                new Gates.Sniffer(this, connection));
        connection.open();
    }

    private boolean isSelf(InetSocketAddress destination) {
        for (Channel channel : bound) {
            InetSocketAddress listening = (InetSocketAddress) channel.localAddress();
            if (listening.getPort() == destination.getPort() && (listening.getAddress().isAnyLocalAddress()
                    || listening.getAddress().equals(destination.getAddress()))
                    && (destination.getAddress().isLoopbackAddress() || localAddresses.contains(destination.getAddress()))) {
                return true;
            }
        }
        return false;
    }

    /** This host's own addresses, read when the filter starts. */
    private static Set<InetAddress> localAddresses() {
        Set<InetAddress> addresses = new HashSet<>();
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                addresses.addAll(Collections.list(network.getInetAddresses()));
            }
        } catch (SocketException e) {
            LOG.warn("Cannot list this host's addresses: {}", e.toString());
        }
        return Set.copyOf(addresses);
    }

    Verdict judgeServerName(String serverName) {
        return counted(blocklist.current().map(matcher -> Judge.serverName(matcher, serverName, settings.urlHosts()))
                .orElse(Verdict.NO_LIST));
    }

    Verdict judgeRequest(RequestHead head) {
        return counted(blocklist.current().map(matcher -> head.host()
                        .map(host -> Judge.request(matcher, host, head.path()))
                        .orElse(Verdict.PASS))
                .orElse(Verdict.NO_LIST));
    }

    private Verdict counted(Verdict verdict) {
        if (!verdict.passes()) {
            count(verdict);
        }
        return verdict;
    }

    private void count(Verdict verdict) {
        metrics.counter("qaqpa_traffic_refused_total", "reason", verdict.reason().name().toLowerCase(Locale.ROOT),
                "directive", verdict.directive().orElse("")).increment();
    }

    Settings settings() {
        return settings;
    }

    BlockPage blockPage() {
        return blockPage;
    }

    /** A new, unregistered socket to a destination, of the transport the listeners use. */
    Channel newSocket() {
        return epoll ? new EpollSocketChannel() : new NioSocketChannel();
    }

    /** Where each listener accepts, in the order configured. */
    public List<InetSocketAddress> addresses() {
        return bound.stream().map(channel -> (InetSocketAddress) channel.localAddress()).toList();
    }

    @Override
    public void close() {
        bound.forEach(channel -> channel.close().syncUninterruptibly());
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
