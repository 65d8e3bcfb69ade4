package kz.qaqpa.blocklist.traffic;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;

/**
 * Judges a TLS connection by the server name its ClientHello sends, without terminating TLS:
 * Netty's ClientHello reader collects the hello (across records, at most 64 KiB, within the
 * handshake timeout), this gate asks the matcher, and either answers with a fatal alert and closes,
 * or steps aside — the hello and all that follows going to the destination as they came.
 *
 * <p>With Encrypted Client Hello the name read is the outer one (the client-facing server's), the
 * only one a filter can see. A hello without a name, or one that cannot be read, was judged by the
 * destination address alone when the connection came.
 */
final class SniGate extends AbstractSniHandler<Verdict> {

    private final TrafficFilter filter;
    private final Connection connection;

    SniGate(TrafficFilter filter, Connection connection) {
        super(filter.settings().handshakeTimeout().toMillis());
        this.filter = filter;
        this.connection = connection;
    }

    @Override
    protected Future<Verdict> lookup(ChannelHandlerContext ctx, String hostname) {
        return ctx.executor().newSucceededFuture(filter.judgeServerName(hostname));
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<Verdict> future) {
        if (!future.getNow().passes()) {
            // Judged once: what the client sends after the hello is dropped with the connection.
            connection.alert(filter.settings().alert());
        }
        ctx.pipeline().remove(this);
    }
}
