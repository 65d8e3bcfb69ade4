package kz.qaqpa.gateway.pull;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.dns.SamePort;
import kz.qaqpa.blocklist.model.Serial;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.directives.schedule.Schedules;
import kz.qaqpa.gateway.config.FeedSettings;
import kz.qaqpa.gateway.pull.SnapshotStore.Snapshot;
import kz.qaqpa.pull.DistinctNames;
import kz.qaqpa.pull.FeedFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy zone by DNS zone transfer, for operators' resolvers that take RPZ from a primary
 * (BIND, Unbound, Knot, PowerDNS): SOA over UDP and TCP, AXFR (RFC 5936) and IXFR (RFC 1995) over
 * TCP, to the configured addresses only (others: REFUSED) and, with TSIG keys, only when signed by
 * one of them (see {@link TransferTsig}), and a NOTIFY to the configured resolvers at each new
 * serial ({@link ZoneNotifier}).
 *
 * <p>AXFR sends the snapshot at the current serial, a record several targets make once
 * ({@link DistinctNames}). IXFR from serial N sends one difference sequence from N to the current
 * serial ({@link IxfrDifference}); when the log no longer reaches N the answer is the whole zone, as
 * RFC 1995 allows. SOA serials are the list's serials modulo 2^32 ({@code Serial}).
 */
public final class ZoneTransfers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ZoneTransfers.class);
    private static final int RECORDS_PER_MESSAGE = 500;

    private final PolicyZone zone;
    private final SnapshotStore snapshots;
    private final DataSource dataSource;
    private final List<IPAddress> allowed = new ArrayList<>();
    private final List<InetSocketAddress> notifyTargets;
    private final TransferTsig tsig;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ExecutorService workers = Executors.newFixedThreadPool(2, Schedules.daemonThreads("qaqpa-xfr"));
    private Channel udp;
    private Channel tcp;
    private ZoneNotifier notifier;

    private ZoneTransfers(FeedSettings settings, SnapshotStore snapshots, DataSource dataSource, TransferTsig tsig) {
        this.tsig = tsig;
        this.zone = new PolicyZone(settings.rpzOrigin());
        this.snapshots = snapshots;
        this.dataSource = dataSource;
        settings.xfrAllow().forEach(network -> allowed.add(new IPAddressString(network).getAddress()));
        this.notifyTargets = settings.notifyTargets();
    }

    /** Listens on the configured host and port (TCP and UDP) and starts watching for new serials. */
    public static ZoneTransfers start(FeedSettings settings, SnapshotStore snapshots, DataSource dataSource)
            throws InterruptedException {
        TransferTsig tsig = settings.tsigKeys().isPresent() ? TransferTsig.read(settings.tsigKeys().get()) : TransferTsig.none();
        ZoneTransfers transfers = new ZoneTransfers(settings, snapshots, dataSource, tsig);
        try {
            transfers.bind(new InetSocketAddress(settings.xfrHost(), settings.xfrPort()));
        } catch (InterruptedException | RuntimeException e) {
            transfers.close();
            throw e;
        }
        return transfers;
    }

    private void bind(InetSocketAddress address) throws InterruptedException {
        ServerBootstrap tcpServer = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel connection) {
                        connection.pipeline().addLast(new ReadTimeoutHandler(30, TimeUnit.SECONDS));
                        if (tsig.required()) {
                            TransferTsig.Session session = new TransferTsig.Session();
                            connection.pipeline().addLast(tsig.new TcpVerifier(session), new TransferTsig.TcpSigner(session));
                        }
                        connection.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), new TcpHandler());
                    }
                });
        Bootstrap udpServer = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel channel) {
                        if (tsig.required()) {
                            TransferTsig.Datagrams signing = tsig.new Datagrams();
                            channel.pipeline().addLast(signing.verifier, signing);
                        }
                        channel.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new UdpHandler());
                    }
                });
        SamePort bound = SamePort.bind(udpServer, tcpServer, address);
        udp = bound.udp();
        tcp = bound.tcp();
        if (!notifyTargets.isEmpty()) {
            notifier = ZoneNotifier.start(group, tsig, zone, dataSource, notifyTargets);
        }
        LOG.info("Zone transfers of {} on {} (TCP and UDP), to {}{}", zone.origin(), tcp.localAddress(), allowed,
                tsig.required() ? ", signed by one of " + tsig.keyCount() + " TSIG key(s)" : "");
    }

    /** The port the service answers on. */
    public int port() {
        return ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    /** What a query asks, read before the query is released. */
    private record Asked(int id, DnsQuestion question, long clientSerial) {

        static Asked of(DnsQuery query) {
            DnsQuestion question = query.count(DnsSection.QUESTION) == 1 ? query.recordAt(DnsSection.QUESTION) : null;
            long clientSerial = -1;
            if (query.count(DnsSection.AUTHORITY) > 0 && query.recordAt(DnsSection.AUTHORITY, 0) instanceof DnsRawRecord soa
                    && soa.type() == DnsRecordType.SOA) {
                clientSerial = PolicyZone.serialOf(soa.content());
            }
            return new Asked(query.id(), question == null ? null
                    : new DefaultDnsQuestion(question.name(), question.type(), question.dnsClass()), clientSerial);
        }
    }

    /** Null when the query may go on; otherwise the code to refuse it with. */
    private DnsResponseCode refusal(DnsQuery query, Asked asked, InetSocketAddress client) {
        if (query.opCode() != DnsOpCode.QUERY) {
            return DnsResponseCode.NOTIMP;
        }
        if (asked.question() == null) {
            return DnsResponseCode.FORMERR;
        }
        IPAddress address = new IPAddressString(client.getAddress().getHostAddress()).getAddress();
        IPAddress plain = address.isIPv4Convertible() ? address.toIPv4() : address;
        if (allowed.stream().noneMatch(network -> network.contains(plain) || network.contains(address))) {
            LOG.info("Zone transfer refused to {}", client);
            return DnsResponseCode.REFUSED;
        }
        if (!asked.question().name().equalsIgnoreCase(zone.origin())) {
            return DnsResponseCode.NOTAUTH;
        }
        return null;
    }

    private final class TcpHandler extends SimpleChannelInboundHandler<DnsQuery> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
            Asked asked = Asked.of(query);
            DnsResponseCode refused = refusal(query, asked, (InetSocketAddress) ctx.channel().remoteAddress());
            if (refused != null) {
                ctx.writeAndFlush(response(asked, refused));
                return;
            }
            Channel channel = ctx.channel();
            workers.execute(() -> {
                try {
                    DnsRecordType type = asked.question().type();
                    if (type == DnsRecordType.AXFR) {
                        axfr(asked, channel);
                    } else if (type == DnsRecordType.IXFR) {
                        ixfr(asked, channel);
                    } else if (type == DnsRecordType.SOA) {
                        channel.writeAndFlush(soaOnly(asked, ChangeLog.currentSerial(dataSource)));
                    } else {
                        channel.writeAndFlush(response(asked, DnsResponseCode.REFUSED));
                    }
                } catch (Exception e) {
                    LOG.warn("Zone transfer to {} failed: {}", channel.remoteAddress(), e.toString());
                    channel.writeAndFlush(response(asked, DnsResponseCode.SERVFAIL));
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private final class UdpHandler extends SimpleChannelInboundHandler<DatagramDnsQuery> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            Asked asked = Asked.of(query);
            InetSocketAddress client = query.sender();
            DnsResponseCode refused = refusal(query, asked, client);
            if (refused != null) {
                ctx.writeAndFlush(datagram(response(asked, refused), query));
                return;
            }
            workers.execute(() -> {
                try {
                    DnsRecordType type = asked.question().type();
                    // Over UDP an IXFR is answered with the SOA alone, which sends the client to TCP.
                    DnsResponse answer = type == DnsRecordType.SOA || type == DnsRecordType.IXFR
                            ? soaOnly(asked, ChangeLog.currentSerial(dataSource)) : response(asked, DnsResponseCode.REFUSED);
                    ctx.writeAndFlush(datagram(answer, query));
                } catch (Exception e) {
                    ctx.writeAndFlush(datagram(response(asked, DnsResponseCode.SERVFAIL), query));
                }
            });
        }
    }

    private static DatagramDnsResponse datagram(DnsResponse response, DatagramDnsQuery query) {
        DatagramDnsResponse datagram = new DatagramDnsResponse(query.recipient(), query.sender(), response.id(),
                response.opCode(), response.code());
        datagram.setAuthoritativeAnswer(response.isAuthoritativeAnswer());
        for (DnsSection section : new DnsSection[] {DnsSection.QUESTION, DnsSection.ANSWER}) {
            for (int i = 0; i < response.count(section); i++) {
                DnsRecord record = response.recordAt(section, i);
                datagram.addRecord(section, record instanceof DnsRawRecord raw ? raw.retainedDuplicate() : record);
            }
        }
        response.release();
        return datagram;
    }

    private DnsResponse soaOnly(Asked asked, long serial) {
        DnsResponse response = response(asked, DnsResponseCode.NOERROR);
        response.addRecord(DnsSection.ANSWER, zone.soa(serial));
        return response;
    }

    private static DnsResponse response(Asked asked, DnsResponseCode code) {
        DefaultDnsResponse response = new DefaultDnsResponse(asked.id(), DnsOpCode.QUERY, code);
        response.setAuthoritativeAnswer(code == DnsResponseCode.NOERROR);
        if (asked.question() != null) {
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(asked.question().name(), asked.question().type()));
        }
        return response;
    }

    /** The whole zone: SOA, the apex NS, every record, SOA. */
    private void axfr(Asked asked, Channel channel) throws Exception {
        Snapshot snapshot = snapshots.current();
        Messages out = new Messages(asked, channel);
        out.add(zone.soa(snapshot.serial()));
        out.add(zone.ns());
        DistinctNames.forEach(snapshot.canonical().file(), FeedFormat::rpzOwners, owner -> out.add(zone.cname(owner)));
        out.add(zone.soa(snapshot.serial()));
        out.finish();
    }

    private void ixfr(Asked asked, Channel channel) throws Exception {
        long head = ChangeLog.currentSerial(dataSource);
        if (asked.clientSerial() == Serial.soa(head)) {
            channel.writeAndFlush(soaOnly(asked, head));
            return;
        }
        // The client's 32-bit serial read back as the list's, behind the head; AXFR when it is not
        // one (no SOA sent, ahead of the list, another zone's) or the log no longer reaches back to it.
        OptionalLong behind = asked.clientSerial() < 0 ? OptionalLong.empty() : Serial.behind(head, asked.clientSerial());
        var oldest = ChangeLog.oldestSerial(dataSource);
        if (behind.isEmpty() || oldest.isEmpty() || oldest.get() > behind.getAsLong() + 1) {
            axfr(asked, channel);
            return;
        }
        long from = behind.getAsLong();
        IxfrDifference difference = IxfrDifference.between(dataSource, from, head);
        Messages out = new Messages(asked, channel);
        out.add(zone.soa(head));
        out.add(zone.soa(from));
        difference.deleted().forEach(owner -> out.add(zone.cname(owner)));
        out.add(zone.soa(head));
        difference.added().forEach(owner -> out.add(zone.cname(owner)));
        out.add(zone.soa(head));
        out.finish();
    }

    /** Records packed into responses of a few hundred each, written as they fill, waiting for the socket. */
    private static final class Messages {

        private final Asked asked;
        private final Channel channel;
        private DnsResponse current;
        private int records;

        Messages(Asked asked, Channel channel) {
            this.asked = asked;
            this.channel = channel;
        }

        void add(DnsRecord record) {
            if (current == null) {
                current = response(asked, DnsResponseCode.NOERROR);
            }
            current.addRecord(DnsSection.ANSWER, record);
            if (++records == RECORDS_PER_MESSAGE) {
                send();
            }
        }

        void finish() {
            if (current != null) {
                send();
            }
        }

        private void send() {
            channel.writeAndFlush(current).syncUninterruptibly();
            current = null;
            records = 0;
        }
    }

    @Override
    public void close() {
        if (notifier != null) {
            notifier.close();
        }
        workers.shutdownNow();
        for (Channel channel : new Channel[] {tcp, udp}) {
            if (channel != null) {
                channel.close().syncUninterruptibly();
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
