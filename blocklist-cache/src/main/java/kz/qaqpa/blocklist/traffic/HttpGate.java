package kz.qaqpa.blocklist.traffic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Judges every HTTP/1.x request on a plain connection, kept-alive ones included: the head is read
 * whole (at most {@link #MAX_HEAD} bytes), judged by host and URL, and — passed — forwarded as it
 * came, then its body, framed by Content-Length or chunks, byte for byte, until the next head.
 * A restricted request is answered 451 ({@link BlockPage}) and the connection closed; one that
 * follows passed requests waits until the origin has answered those.
 *
 * <p>A request that may switch protocols (Upgrade, CONNECT) is followed by judging nothing more
 * only when the origin's answer agrees (101; 2xx for CONNECT); until it answers, the subscriber's
 * further bytes wait. A head the filter cannot read unambiguously is answered 400 (431 when too
 * large) and never passed: the filter and the origin must agree where each request ends.
 */
final class HttpGate extends ByteToMessageDecoder {

    static final int MAX_HEAD = 32 * 1024;
    private static final int MAX_CHUNK_LINE = 4 * 1024;
    /** What may wait for the origin's answer to a switch. */
    private static final int MAX_WAITING = 64 * 1024;

    private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, AWAIT_SWITCH, TUNNEL, REFUSED }

    private final TrafficFilter filter;
    private final Connection connection;
    private State state = State.HEAD;
    private long remaining;
    private boolean switchAfterBody;
    private boolean connectMethod;
    private boolean passedAny;
    private ChannelHandlerContext context;

    HttpGate(TrafficFilter filter, Connection connection) {
        this.filter = filter;
        this.connection = connection;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            switch (state) {
                case HEAD -> {
                    if (!head(in, out)) {
                        return;
                    }
                }
                case BODY -> {
                    if (pass(in, out)) {
                        requestDone();
                    }
                }
                case CHUNK_SIZE -> {
                    int end = lineEnd(in, MAX_CHUNK_LINE);
                    if (end == -1) {
                        return;
                    }
                    if (end == -2) {
                        refuse(400);
                        return;
                    }
                    String raw = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1);
                    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
                    int semicolon = line.indexOf(';');
                    String size = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
                    // A control character in the line (a bare CR) is read one way here and maybe another by the origin.
                    if (size.isEmpty() || size.length() > 15 || !size.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                            || line.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                        refuse(400);
                        return;
                    }
                    remaining = Long.parseLong(size, 16);
                    out.add(in.readRetainedSlice(end + 1 - in.readerIndex()));
                    state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                }
                case CHUNK_DATA -> {
                    if (pass(in, out)) {
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    int end = lineEnd(in, 2);
                    if (end == -1) {
                        return;
                    }
                    if (end == -2 || end - in.readerIndex() > 1 || end - in.readerIndex() == 1 && in.getByte(in.readerIndex()) != '\r') {
                        refuse(400);
                        return;
                    }
                    out.add(in.readRetainedSlice(end + 1 - in.readerIndex()));
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    int end = lineEnd(in, MAX_HEAD);
                    if (end == -1) {
                        return;
                    }
                    if (end == -2) {
                        refuse(431);
                        return;
                    }
                    boolean empty = end == in.readerIndex() || end - in.readerIndex() == 1 && in.getByte(in.readerIndex()) == '\r';
                    out.add(in.readRetainedSlice(end + 1 - in.readerIndex()));
                    if (empty) {
                        requestDone();
                    }
                }
                case AWAIT_SWITCH -> {
                    if (in.readableBytes() > MAX_WAITING) {
                        connection.close();
                    }
                    return;
                }
                case TUNNEL -> out.add(in.readRetainedSlice(in.readableBytes()));
                case REFUSED -> in.skipBytes(in.readableBytes());
            }
        }
    }

    /** Passes on up to {@link #remaining} bytes of a body or chunk as they came; true when all of it has gone. */
    private boolean pass(ByteBuf in, List<Object> out) {
        int take = (int) Math.min(remaining, in.readableBytes());
        out.add(in.readRetainedSlice(take));
        remaining -= take;
        return remaining == 0;
    }

    /** Reads, judges and passes one head; false when it is not all here yet. */
    private boolean head(ByteBuf in, List<Object> out) {
        // Empty lines before a request are ignored (RFC 9112 §2.2); they are passed on as they came.
        int start = in.readerIndex();
        while (start < in.writerIndex() && (in.getByte(start) == '\r' || in.getByte(start) == '\n')) {
            start++;
        }
        if (start > in.readerIndex()) {
            out.add(in.readRetainedSlice(start - in.readerIndex()));
            if (!in.isReadable()) {
                return false;
            }
        }
        int end = headEnd(in);
        if (end < 0) {
            if (in.readableBytes() > MAX_HEAD) {
                refuse(431);
            }
            return false;
        }
        byte[] bytes = ByteBufUtil.getBytes(in, in.readerIndex(), end - in.readerIndex());
        RequestHead head;
        try {
            head = RequestHead.parse(bytes);
        } catch (RequestHead.Malformed e) {
            refuse(e.status);
            return false;
        }
        Verdict verdict = filter.judgeRequest(head);
        if (!verdict.passes()) {
            state = State.REFUSED;
            in.skipBytes(in.readableBytes());
            ByteBuf page = verdict.directive().map(filter.blockPage()::response)
                    .orElseGet(() -> plain(503, "Service Unavailable"));
            if (passedAny) {
                // What this read passed before the refused head reaches the destination before its output is ended.
                for (Object passed : out) {
                    context.fireChannelRead(passed);
                }
                out.clear();
                connection.drainThenAnswer(page);
            } else {
                connection.answer(page);
            }
            return false;
        }
        passedAny = true;
        out.add(in.readRetainedSlice(end - in.readerIndex()));
        connectMethod = head.method().equals("CONNECT");
        switchAfterBody = head.switching();
        if (head.chunked()) {
            state = State.CHUNK_SIZE;
        } else if (head.contentLength() > 0) {
            remaining = head.contentLength();
            state = State.BODY;
        } else {
            requestDone();
        }
        return true;
    }

    private void requestDone() {
        state = State.HEAD;
        if (switchAfterBody) {
            switchAfterBody = false;
            state = State.AWAIT_SWITCH;
            boolean connect = connectMethod;
            connection.expectResponse(response -> {
                // On this connection's event loop, from the destination's side: what waited is
                // tunnelled or judged now.
                boolean agreed = agrees(response, connect);
                state = agreed ? State.TUNNEL : State.HEAD;
                try {
                    channelRead(context, Unpooled.EMPTY_BUFFER);
                    channelReadComplete(context);
                } catch (Exception e) {
                    context.fireExceptionCaught(e);
                }
                return agreed;
            });
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    static boolean agrees(ByteBuf response, boolean connect) {
        if (response.readableBytes() < 12) {
            return false;
        }
        String status = response.toString(response.readerIndex(), 12, StandardCharsets.ISO_8859_1);
        return status.startsWith("HTTP/1.") && (connect ? status.charAt(9) == '2' : status.startsWith("101", 9));
    }

    private void refuse(int status) {
        state = State.REFUSED;
        connection.answer(plain(status, status == 431 ? "Request Header Fields Too Large" : "Bad Request"));
    }

    private static ByteBuf plain(int status, String reason) {
        return Unpooled.copiedBuffer("HTTP/1.1 " + status + " " + reason
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", StandardCharsets.US_ASCII);
    }

    /** The index just past a head's empty line, or -1 when it has not all come. */
    private static int headEnd(ByteBuf in) {
        int limit = Math.min(in.writerIndex(), in.readerIndex() + MAX_HEAD);
        for (int i = in.readerIndex(); i < limit; i++) {
            if (in.getByte(i) == '\n') {
                if (i + 1 < in.writerIndex() && in.getByte(i + 1) == '\n') {
                    return i + 2;
                }
                if (i + 2 < in.writerIndex() && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** The index of the next LF within {@code max} bytes; -1 when it has not come yet, -2 when the line is too long. */
    private static int lineEnd(ByteBuf in, int max) {
        int found = in.indexOf(in.readerIndex(), Math.min(in.writerIndex(), in.readerIndex() + max), (byte) '\n');
        if (found >= 0) {
            return found;
        }
        return in.readableBytes() >= max ? -2 : -1;
    }
}
