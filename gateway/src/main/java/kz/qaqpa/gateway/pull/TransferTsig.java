package kz.qaqpa.gateway.pull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TextParseException;

/**
 * Transaction signatures (TSIG, RFC 8945) on the zone-transfer service: with keys configured, a
 * SOA query, AXFR or IXFR is answered only when signed by one of them (and from an allowed
 * address), every message of the answer is signed in turn (each over the MAC of the one before,
 * RFC 8945 §5.3.1), and NOTIFY is signed too. A query without a signature is REFUSED; one with an
 * unknown key, a wrong MAC or a time outside its fudge is answered NOTAUTH, unsigned.
 *
 * <p>The keys file is in BIND's own syntax, so an operator puts the same text in named.conf:
 * {@code key "name" { algorithm hmac-sha256; secret "base64"; };} (HMAC-SHA256, -384 or -512),
 * and optionally {@code server 192.0.2.53 { keys { "name"; }; };} to say which key signs the
 * NOTIFY sent to that resolver (otherwise the first key does). Signing and verifying are dnsjava's.
 */
final class TransferTsig {

    private static final Pattern KEY = Pattern.compile(
            "key\\s+\"?([A-Za-z0-9._-]+)\"?\\s*\\{\\s*algorithm\\s+\"?([A-Za-z0-9-]+)\"?\\s*;\\s*secret\\s+\"([A-Za-z0-9+/=]+)\"\\s*;\\s*}\\s*;");
    private static final Pattern SERVER = Pattern.compile(
            "server\\s+([0-9A-Fa-f.:]+)\\s*\\{\\s*keys\\s*\\{\\s*\"?([A-Za-z0-9._-]+)\"?\\s*;\\s*}\\s*;\\s*}\\s*;");
    private static final List<String> ALGORITHMS = List.of("hmac-sha256", "hmac-sha384", "hmac-sha512");
    /** Signed queries from one socket whose answers are not yet sent, at most. */
    private static final int PENDING_DATAGRAMS = 1024;

    /** By name, in the file's order. */
    private final Map<Name, TSIG> keys;
    /** The name of the key each server statement gives its address. */
    private final Map<InetAddress, Name> notifyKeys;

    private TransferTsig(Map<Name, TSIG> keys, Map<InetAddress, Name> notifyKeys) {
        this.keys = keys;
        this.notifyKeys = notifyKeys;
    }

    /** No keys: only the address list guards the service. */
    static TransferTsig none() {
        return new TransferTsig(Map.of(), Map.of());
    }

    /** The keys of a file in BIND's syntax. @throws IllegalArgumentException when it cannot be read, holds none, or something else */
    static TransferTsig read(Path file) {
        String text;
        try {
            text = withoutComments(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<Name, TSIG> keys = new LinkedHashMap<>();
        Map<String, Name> byText = new LinkedHashMap<>();
        Matcher key = KEY.matcher(text);
        StringBuilder rest = new StringBuilder();
        while (key.find()) {
            String algorithm = key.group(2).toLowerCase(java.util.Locale.ROOT);
            if (!ALGORITHMS.contains(algorithm)) {
                throw new IllegalArgumentException(file + ": key " + key.group(1) + " uses " + algorithm
                        + "; use one of " + ALGORITHMS);
            }
            Name name;
            TSIG tsig;
            try {
                name = Name.fromString(key.group(1), Name.root);
                tsig = new TSIG(TSIG.algorithmToName(algorithm), name, key.group(3));
            } catch (TextParseException | IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": key " + key.group(1) + ": " + e.getMessage(), e);
            }
            keys.put(name, tsig);
            byText.put(key.group(1), name);
            key.appendReplacement(rest, " ");
        }
        key.appendTail(rest);
        Map<InetAddress, Name> notifyKeys = new LinkedHashMap<>();
        Matcher server = SERVER.matcher(rest);
        StringBuilder left = new StringBuilder();
        while (server.find()) {
            Name named = byText.get(server.group(2));
            if (named == null) {
                throw new IllegalArgumentException(file + ": server " + server.group(1) + " names no key of the file: "
                        + server.group(2));
            }
            try {
                notifyKeys.put(InetAddress.getByName(server.group(1)), named); // a literal: parsed, never looked up
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": server " + server.group(1) + " is not an address", e);
            }
            server.appendReplacement(left, " ");
        }
        server.appendTail(left);
        if (keys.isEmpty() || !left.toString().isBlank()) {
            throw new IllegalArgumentException(file + ": expected key \"name\" { algorithm hmac-sha256; secret \"…\"; };"
                    + " statements (and server ADDRESS { keys { \"name\"; }; };), found "
                    + (keys.isEmpty() ? "no key" : "\"" + left.toString().strip().lines().findFirst().orElse("") + "\""));
        }
        return new TransferTsig(Collections.unmodifiableMap(keys), Map.copyOf(notifyKeys));
    }

    /** The text with BIND's comments ({@code #}, {@code //}, {@code /* … *}{@code /}) blanked, but not inside quotes (a secret may hold "//"). */
    static String withoutComments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '#' || text.startsWith("//", i))) {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
                out.append(' ');
                continue;
            } else if (!quoted && text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 1;
                out.append(' ');
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    boolean required() {
        return !keys.isEmpty();
    }

    int keyCount() {
        return keys.size();
    }

    /** The name of the key a NOTIFY to {@code target} is signed with: the one its server statement names, or the first. */
    Optional<Name> notifyKeyName(InetSocketAddress target) {
        Name named = notifyKeys.get(target.getAddress());
        return named != null ? Optional.of(named) : keys.keySet().stream().findFirst();
    }

    private Optional<TSIG> notifyKey(InetSocketAddress target) {
        return notifyKeyName(target).map(keys::get);
    }

    /** The verdict on a query: accepted with the key that signed it and its TSIG, or the code to answer it with. */
    record Check(int rcode, TSIG key, TSIGRecord signature) {

        boolean accepted() {
            return rcode == Rcode.NOERROR;
        }
    }

    Check check(byte[] query) {
        Message message;
        try {
            message = new Message(query);
        } catch (IOException e) {
            return new Check(Rcode.FORMERR, null, null);
        }
        TSIGRecord signature = message.getTSIG();
        if (signature == null) {
            return new Check(Rcode.REFUSED, null, null);
        }
        TSIG key = keys.get(signature.getName());
        if (key == null) {
            return new Check(Rcode.NOTAUTH, null, null);
        }
        int verified = key.verify(message, query, null);
        return verified == Rcode.NOERROR ? new Check(Rcode.NOERROR, key, signature) : new Check(Rcode.NOTAUTH, null, null);
    }

    /** The unsigned answer to a query refused by {@link #check}: its ID, opcode and question, and the code. */
    static byte[] refusal(byte[] query, int rcode) {
        Message answer;
        try {
            Message asked = new Message(query);
            answer = new Message(asked.getHeader().getID());
            answer.getHeader().setOpcode(asked.getHeader().getOpcode());
            if (asked.getQuestion() != null) {
                answer.addRecord(asked.getQuestion(), Section.QUESTION);
            }
        } catch (IOException e) {
            answer = new Message(query.length >= 2 ? ((query[0] & 0xff) << 8) | (query[1] & 0xff) : 0);
        }
        answer.getHeader().setFlag(Flags.QR);
        answer.getHeader().setRcode(rcode);
        return answer.toWire();
    }

    /** Signs a message with {@code key}: a response over the MAC of {@code previous} (the query's, or the message before). */
    static byte[] sign(byte[] message, TSIG key, TSIGRecord previous, boolean first) throws IOException {
        Message signed = new Message(message);
        key.apply(signed, previous, first);
        return signed.toWire();
    }

    /** One TCP connection's signing state: the key of its last query and the MAC the next message signs over. */
    static final class Session {
        private TSIG key;
        private TSIGRecord previous;
        private boolean first;
    }

    /** Frames TCP queries (RFC 7766), passes on those {@link #check} accepts, and answers the others itself. */
    final class TcpVerifier extends LengthFieldBasedFrameDecoder {

        private final Session session;

        TcpVerifier(Session session) {
            super(2 + 65_535, 0, 2, 0, 0);
            this.session = session;
        }

        @Override
        protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            ByteBuf frame = (ByteBuf) super.decode(ctx, in);
            if (frame == null) {
                return null;
            }
            byte[] query = ByteBufUtil.getBytes(frame, frame.readerIndex() + 2, frame.readableBytes() - 2);
            Check check = check(query);
            if (check.accepted()) {
                session.key = check.key();
                session.previous = check.signature();
                session.first = true;
                return frame;
            }
            frame.release();
            byte[] answer = refusal(query, check.rcode());
            ctx.writeAndFlush(ctx.alloc().buffer(2 + answer.length).writeShort(answer.length).writeBytes(answer));
            return null;
        }
    }

    /** Signs each framed answer on a TCP connection over the MAC of the one before. */
    static final class TcpSigner extends ChannelOutboundHandlerAdapter {

        private final Session session;

        TcpSigner(Session session) {
            this.session = session;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (session.key == null || !(msg instanceof ByteBuf framed)) {
                ctx.write(msg, promise);
                return;
            }
            byte[] message;
            try {
                message = ByteBufUtil.getBytes(framed, framed.readerIndex() + 2, framed.readableBytes() - 2);
            } finally {
                framed.release();
            }
            Message signed = new Message(message);
            session.key.apply(signed, session.previous, session.first);
            session.previous = signed.getTSIG();
            session.first = false;
            byte[] wire = signed.toWire();
            ctx.write(ctx.alloc().buffer(2 + wire.length).writeShort(wire.length).writeBytes(wire), promise);
        }
    }

    /**
     * Over UDP (SOA queries): passes on accepted queries, answers the others, and signs each answer
     * with the key of the query it answers (found by client and ID).
     */
    final class Datagrams extends ChannelOutboundHandlerAdapter {

        private final Map<String, Check> pending = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Check> eldest) {
                return size() > PENDING_DATAGRAMS;
            }
        };

        /** The inbound half, to go before the query decoder. */
        final ChannelInboundHandlerAdapter verifier = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!(msg instanceof DatagramPacket packet)) {
                    ctx.fireChannelRead(msg);
                    return;
                }
                byte[] query = ByteBufUtil.getBytes(packet.content());
                Check check = check(query);
                if (check.accepted()) {
                    pending.put(pendingKey(packet.sender(), query), check);
                    ctx.fireChannelRead(packet);
                    return;
                }
                packet.release();
                byte[] answer = refusal(query, check.rcode());
                ctx.writeAndFlush(new DatagramPacket(ctx.alloc().buffer(answer.length).writeBytes(answer), packet.sender()));
            }
        };

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (!(msg instanceof DatagramPacket packet)) {
                ctx.write(msg, promise);
                return;
            }
            writeSigned(ctx, packet, promise, answer -> {
                Check check = pending.remove(pendingKey(packet.recipient(), answer));
                return check == null ? answer : sign(answer, check.key(), check.signature(), true);
            });
        }

        private static String pendingKey(InetSocketAddress client, byte[] message) {
            return client + "#" + (message.length >= 2 ? ((message[0] & 0xff) << 8) | (message[1] & 0xff) : -1);
        }
    }

    /** Signs each NOTIFY with the key for its target. */
    final class NotifySigner extends ChannelOutboundHandlerAdapter {

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (!(msg instanceof DatagramPacket packet) || notifyKey(packet.recipient()).isEmpty()) {
                ctx.write(msg, promise);
                return;
            }
            writeSigned(ctx, packet, promise, notify -> sign(notify, notifyKey(packet.recipient()).orElseThrow(), null, true));
        }
    }

    /** Signs a message on the wire, or says why it cannot. */
    @FunctionalInterface
    private interface Signing {
        byte[] apply(byte[] message) throws IOException;
    }

    /** Writes {@code packet} (which this releases) as {@code signing} makes it, to the same recipient. */
    private static void writeSigned(ChannelHandlerContext ctx, DatagramPacket packet, ChannelPromise promise, Signing signing)
            throws IOException {
        byte[] message;
        try {
            message = ByteBufUtil.getBytes(packet.content());
        } finally {
            packet.release();
        }
        byte[] wire = signing.apply(message);
        ctx.write(new DatagramPacket(ctx.alloc().buffer(wire.length).writeBytes(wire), packet.recipient()), promise);
    }
}
