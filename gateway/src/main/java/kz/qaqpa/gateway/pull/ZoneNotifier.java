package kz.qaqpa.gateway.pull;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.directives.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a NOTIFY (RFC 1996) of the policy zone to the configured resolvers at each new serial,
 * signed when TSIG keys are configured, so that they transfer it at once instead of at their SOA
 * refresh. The head is read once a second; its socket takes datagrams from any address, so it is
 * opened only when there is someone to notify.
 */
final class ZoneNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ZoneNotifier.class);

    private final PolicyZone zone;
    private final DataSource dataSource;
    private final List<InetSocketAddress> targets;
    private final ScheduledExecutorService ticker = Schedules.daemon("qaqpa-notify");
    private final Channel channel;
    private long notifiedSerial = -1;

    private ZoneNotifier(PolicyZone zone, DataSource dataSource, List<InetSocketAddress> targets, Channel channel) {
        this.zone = zone;
        this.dataSource = dataSource;
        this.targets = targets;
        this.channel = channel;
    }

    /** Opens the socket on {@code group} and starts watching the head. */
    static ZoneNotifier start(EventLoopGroup group, TransferTsig tsig, PolicyZone zone, DataSource dataSource,
                              List<InetSocketAddress> targets) throws InterruptedException {
        Channel channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel channel) {
                        if (tsig.required()) {
                            channel.pipeline().addLast(tsig.new NotifySigner());
                        }
                        channel.pipeline().addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder(),
                                new SimpleChannelInboundHandler<DatagramDnsResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse answer) {
                                        LOG.debug("NOTIFY answered by {}: {}", answer.sender(), answer.code());
                                    }
                                });
                    }
                }).bind(0).sync().channel();
        ZoneNotifier notifier = new ZoneNotifier(zone, dataSource, targets, channel);
        notifier.ticker.scheduleWithFixedDelay(notifier::notifyOnNewSerial, 0, 1, TimeUnit.SECONDS);
        return notifier;
    }

    private void notifyOnNewSerial() {
        try {
            long serial = ChangeLog.currentSerial(dataSource);
            if (serial == notifiedSerial) {
                return;
            }
            for (InetSocketAddress target : targets) {
                DatagramDnsQuery notify = new DatagramDnsQuery(null, target, (int) (serial & 0xffff), DnsOpCode.NOTIFY);
                notify.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(zone.origin(), DnsRecordType.SOA));
                notify.addRecord(DnsSection.ANSWER, zone.soa(serial));
                channel.writeAndFlush(notify);
            }
            notifiedSerial = serial;
        } catch (Exception e) {
            LOG.warn("Cannot tell resolvers of the new serial: {}", e.toString());
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        channel.close().syncUninterruptibly();
    }
}
