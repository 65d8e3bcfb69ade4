package kz.qaqpa.blocklist.traffic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One subscriber's connection through the filter, from the moment its destination is known: the
 * connection to that destination, and the bytes relayed between the two — with back-pressure (a
 * side that cannot take more stops the other's reads), half-close (an end of input on one side
 * ends the other's output; the connection closes when both have ended) and the idle timeout.
 *
 * <p>The gates in front of it ({@link SniGate}, {@link HttpGate}) pass it what they have judged, and
 * ask it to refuse. Everything of one connection runs on the subscriber's event loop, the
 * destination's channel included, so nothing here is shared between threads.
 */
final class Connection {

    /** What may wait for the connection to the destination before the subscriber's reads pause. */
    private static final int MAX_PENDING = 64 * 1024;

    private final TrafficFilter filter;
    private final Channel client;
    private final InetSocketAddress destination;
    private final Queue<ByteBuf> pending = new ArrayDeque<>();
    private int pendingBytes;
    /** When either side last sent something (System.nanoTime). */
    private long lastRead;
    /** The idle timer, cancelled when the connection closes so that it holds nothing closed. */
    private ScheduledFuture<?> idleTimer;
    private Channel upstream;
    private boolean connected;
    private boolean clientInputEnded;
    private boolean upstreamInputEnded;
    private boolean closing;
    /** Nothing more goes to the destination (a refusal waits for its answers to what went before). */
    private boolean outputEnded;
    /** Run when the destination's input ends, instead of ending the subscriber's output (a refusal after a drain). */
    private Runnable afterUpstream;
    /** Asked of the next bytes from the destination, then cleared (did it agree to switch protocols?). */
    private Predicate<ByteBuf> nextResponse;

    Connection(TrafficFilter filter, Channel client, InetSocketAddress destination) {
        this.filter = filter;
        this.client = client;
        this.destination = destination;
    }

    /**
     * Connects to the destination; what the gates pass meanwhile waits (reading pauses past {@link #MAX_PENDING}).
     *
     * <p>The socket is registered and connected in one go, not through a {@code Bootstrap}, which
     * connects in a later task: in between, an event left in the same epoll batch for a closed
     * socket whose descriptor the new one reuses would be read on a socket not yet connecting
     * (ENOTCONN) and reset a subscriber's connection — what many short connections at once did.
     */
    void open() {
        lastRead = System.nanoTime();
        idleCheck(filter.settings().idle().toNanos());
        Channel socket = filter.newSocket();
        socket.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        socket.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) filter.settings().connectTimeout().toMillis());
        socket.pipeline().addLast(new UpstreamEnd());
        client.eventLoop().register(socket).addListener((ChannelFutureListener) registered -> {
            if (!registered.isSuccess()) {
                socket.close();
                close();
                return;
            }
            socket.connect(destination).addListener((ChannelFutureListener) this::connected);
        });
    }

    private void connected(ChannelFuture future) {
        if (!future.isSuccess()) {
            close();
            return;
        }
        upstream = future.channel();
        connected = true;
        if (closing) {
            upstream.close();
            return;
        }
        while (!pending.isEmpty()) {
            upstream.write(pending.poll());
        }
        pendingBytes = 0;
        upstream.flush();
        if (clientInputEnded || outputEnded) {
            endOutput(upstream);
        }
        if (!client.config().isAutoRead()) {
            readClient(true);
        }
    }

    /**
     * Closes the connection once neither side has sent anything for the idle timeout: one timer a
     * connection, moved on when it fires early, rather than a timestamp and a listener on every write.
     */
    private void idleCheck(long delayNanos) {
        idleTimer = client.eventLoop().schedule(() -> {
            if (closing && !client.isActive()) {
                return;
            }
            long idleFor = System.nanoTime() - lastRead;
            long timeout = filter.settings().idle().toNanos();
            if (idleFor >= timeout) {
                close();
            } else {
                idleCheck(timeout - idleFor);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Resumes or pauses reading from the subscriber; a side whose input has ended is never asked to
     * read again (epoll no longer watches it).
     */
    private void readClient(boolean read) {
        if (!clientInputEnded && client.isActive()) {
            client.config().setAutoRead(read);
        }
    }

    private void readUpstream(boolean read) {
        if (!upstreamInputEnded && upstream.isActive()) {
            upstream.config().setAutoRead(read);
        }
    }

    /** Bytes judged and passed: on to the destination. */
    void forward(ByteBuf bytes) {
        if (closing || outputEnded) {
            bytes.release();
        } else if (!connected) {
            pending.add(bytes);
            pendingBytes += bytes.readableBytes();
            if (pendingBytes > MAX_PENDING) {
                readClient(false);
            }
        } else {
            // Flushed once per read of the subscriber's socket (ClientEnd.channelReadComplete).
            upstream.write(bytes);
            if (!upstream.isWritable()) {
                upstream.flush();
                readClient(false);
            }
        }
    }

    /** Refuses the connection at once: a TCP reset, or a plain close. */
    void refuse(boolean reset) {
        if (reset) {
            client.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        close();
    }

    /** Answers a TLS ClientHello with a fatal alert, then closes. */
    void alert(TrafficFilter.TlsAlert alert) {
        answer(Unpooled.wrappedBuffer(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, (byte) alert.code}));
    }

    /** Sends the subscriber these bytes, the last it gets, and closes. */
    void answer(ByteBuf response) {
        if (closing) {
            response.release();
            return;
        }
        closing = true;
        if (upstream != null) {
            upstream.close();
        }
        releaseHeld();
        client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Stops sending to the destination and lets it finish what it owes (the answers to requests
     * passed before), then answers the subscriber with {@code last}: for a refused request that
     * followed others on a kept-alive connection.
     */
    void drainThenAnswer(ByteBuf last) {
        if (upstreamInputEnded) {
            answer(last);
            return;
        }
        afterUpstream = () -> answer(last);
        outputEnded = true;
        if (connected) {
            endOutput(upstream);
        }
    }

    /** The destination's next bytes decide whether the connection switched protocols. */
    void expectResponse(Predicate<ByteBuf> decision) {
        nextResponse = decision;
    }

    void close() {
        if (closing && !client.isActive()) {
            return;
        }
        closing = true;
        releaseHeld();
        if (upstream != null && upstream.isOpen()) {
            upstream.close();
        }
        if (client.isOpen()) {
            client.close();
        }
    }

    /** Everything a closed connection holds: what waited for the destination, and its idle timer. */
    private void releaseHeld() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        ByteBuf waiting;
        while ((waiting = pending.poll()) != null) {
            waiting.release();
        }
    }

    /**
     * Ends a side's output once everything written to it has gone (Netty's shutdownOutput alone
     * would fail what was written and not yet flushed); from then on the end of its input closes it.
     */
    private static void endOutput(Channel side) {
        side.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() || !side.isActive()) {
                return;
            }
            // On epoll, one shutdown(2): Netty's shutdownOutput also builds an exception with its
            // stack, a connection's largest cost in Java when connections are short (measured).
            if (side instanceof UnixChannel unix && unix.fd() instanceof Socket socket) {
                try {
                    socket.shutdown(false, true);
                } catch (IOException e) {
                    side.close();
                    return;
                }
            } else {
                ((DuplexChannel) side).shutdownOutput();
            }
            // Nothing is left to relay once its input ends too: Netty closes it then, rather than
            // shutting its input down (a call that fails, with another exception, once both ends are done).
            side.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        });
    }

    /** Closes a side once what was written to it has gone. */
    private static void flushThenClose(Channel side) {
        if (side.isActive()) {
            side.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (side.isOpen()) {
            side.close();
        }
    }

    /**
     * Both sides have ended their input: what each was sent goes out, then both close (a shutdown
     * of output first would only cost a call, and an exception when the peer is gone already).
     */
    private void closeWhenFlushed() {
        if (closing) {
            return;
        }
        closing = true;
        releaseHeld();
        if (upstream != null) {
            flushThenClose(upstream);
        }
        flushThenClose(client);
    }

    /** The subscriber's end, last in its pipeline: what the gates passed goes on; an end of input ends the destination's output. */
    final class ClientEnd extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            lastRead = System.nanoTime();
            if (message instanceof ByteBuf bytes) {
                forward(bytes);
            } else {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (connected && !closing) {
                upstream.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (upstream != null) {
                readUpstream(client.isWritable());
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                clientInputEnded = true;
                if (upstreamInputEnded && afterUpstream == null) {
                    closeWhenFlushed();
                } else if (connected && !closing && upstream.isActive()) {
                    endOutput(upstream);
                }
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (upstreamInputEnded && !closing) {
                // Its input ended after its output had (endOutput): both sides are done, what the
                // subscriber said last still goes to the destination.
                clientInputEnded = true;
                closeWhenFlushed();
                return;
            }
            closing = true;
            releaseHeld();
            if (upstream != null && upstream.isOpen()) {
                upstream.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close();
        }
    }

    /** The destination's end: its bytes go to the subscriber unjudged (they are the origin's answers). */
    private final class UpstreamEnd extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            lastRead = System.nanoTime();
            ByteBuf bytes = (ByteBuf) message;
            if (nextResponse != null) {
                Predicate<ByteBuf> decision = nextResponse;
                nextResponse = null;
                decision.test(bytes);
            }
            if (closing) {
                bytes.release();
                return;
            }
            client.write(bytes);
            if (!client.isWritable()) {
                client.flush();
                readUpstream(false);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!closing) {
                client.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            readClient(ctx.channel().isWritable());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                upstreamEnded();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!upstreamInputEnded) {
                upstreamEnded();
            }
            if (afterUpstream == null && !closing) {
                closing = true;
                flushThenClose(client);
            }
        }

        private void upstreamEnded() {
            upstreamInputEnded = true;
            if (afterUpstream != null) {
                Runnable then = afterUpstream;
                afterUpstream = null;
                then.run();
                return;
            }
            if (clientInputEnded) {
                closeWhenFlushed();
            } else if (!closing && client.isActive()) {
                endOutput(client);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close();
        }
    }
}
