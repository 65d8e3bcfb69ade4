package kz.qaqpa.blocklist.dns;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** A minimal DNS client for tests that need to look at exact bytes: IDs, RCODEs, EDE options. */
public final class WireClient {

    /** What came back. */
    public record Reply(int id, int rcode, int answers, Optional<Integer> edeCode, Optional<String> edeText, byte[] bytes) {
    }

    /** A query with EDNS advertising {@code payload} bytes of UDP answer (1232 in {@link #query(int, String, boolean)}). */
    public static byte[] query(int id, String name, int payload) {
        byte[] query = query(id, name, true);
        query[query.length - 8] = (byte) (payload >> 8);
        query[query.length - 7] = (byte) payload;
        return query;
    }

    /** Whether an answer has the TC (truncated) flag. */
    public static boolean truncated(byte[] answer) {
        return (answer[2] & 0x02) != 0;
    }

    public static byte[] query(int id, String name, boolean edns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, (byte) (edns ? 1 : 0)});
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.writeBytes(new byte[] {0, 0, 1, 0, 1});
        if (edns) {
            out.writeBytes(new byte[] {0, 0, 41, 0x04, (byte) 0xd0, 0, 0, 0, 0, 0, 0});
        }
        return out.toByteArray();
    }

    public static Optional<Reply> send(InetSocketAddress server, byte[] query, int timeoutMillis) throws IOException {
        return send(server, query, new InetSocketAddress(0), timeoutMillis);
    }

    /** Sends from {@code from} (such as 127.0.0.2: another client on loopback). */
    public static Optional<Reply> send(InetSocketAddress server, byte[] query, InetSocketAddress from, int timeoutMillis)
            throws IOException {
        try (DatagramSocket socket = new DatagramSocket(from)) {
            socket.setSoTimeout(timeoutMillis);
            socket.send(new DatagramPacket(query, query.length, server));
            byte[] buffer = new byte[65_535];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            return Optional.of(parse(Arrays.copyOf(buffer, packet.getLength())));
        }
    }

    /** Sends one query over a new TCP connection (RFC 7766 framing); empty when the node closes it unanswered. */
    public static Optional<Reply> sendOverTcp(InetSocketAddress server, byte[] query, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            try {
                byte[] reply = new byte[in.readUnsignedShort()];
                in.readFully(reply);
                return Optional.of(parse(reply));
            } catch (EOFException | SocketException e) {
                return Optional.empty();
            }
        }
    }

    public static Reply parse(byte[] m) {
        int id = (m[0] & 0xff) << 8 | (m[1] & 0xff);
        int rcode = m[3] & 0x0f;
        int questions = u16(m, 4);
        int answers = u16(m, 6);
        int authority = u16(m, 8);
        int additional = u16(m, 10);
        int at = 12;
        for (int i = 0; i < questions; i++) {
            at = skipName(m, at) + 4;
        }
        for (int i = 0; i < answers + authority; i++) {
            at = skipName(m, at);
            at += 10 + u16(m, at + 8);
        }
        Optional<Integer> edeCode = Optional.empty();
        Optional<String> edeText = Optional.empty();
        for (int i = 0; i < additional; i++) {
            at = skipName(m, at);
            int type = u16(m, at);
            int length = u16(m, at + 8);
            int options = at + 10;
            if (type == 41) {
                for (int o = options; o < options + length; ) {
                    int code = u16(m, o);
                    int optionLength = u16(m, o + 2);
                    if (code == 15) {
                        edeCode = Optional.of(u16(m, o + 4));
                        edeText = Optional.of(new String(m, o + 6, optionLength - 2, StandardCharsets.UTF_8));
                    }
                    o += 4 + optionLength;
                }
            }
            at = options + length;
        }
        return new Reply(id, rcode, answers, edeCode, edeText, m);
    }

    private static int skipName(byte[] m, int at) {
        while (true) {
            int length = m[at] & 0xff;
            if (length == 0) {
                return at + 1;
            }
            if ((length & 0xc0) == 0xc0) {
                return at + 2;
            }
            at += length + 1;
        }
    }

    private static int u16(byte[] m, int at) {
        return (m[at] & 0xff) << 8 | (m[at + 1] & 0xff);
    }
}
