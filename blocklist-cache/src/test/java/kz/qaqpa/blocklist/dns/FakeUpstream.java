package kz.qaqpa.blocklist.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.concurrent.atomic.AtomicInteger;

/** An upstream resolver for tests, over UDP and TCP on one port: answers every A query with 192.0.2.53, or stays silent. */
public final class FakeUpstream implements AutoCloseable {

    public static final byte[] ANSWER_ADDRESS = {(byte) 192, 0, 2, 53};

    private final DatagramSocket socket;
    private final ServerSocket tcp;
    private final Thread thread;
    private final Thread tcpThread;
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicInteger tcpQueries = new AtomicInteger();
    private final List<Integer> sourcePorts = new CopyOnWriteArrayList<>();
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private volatile boolean silent;
    private volatile Question question = Question.SAME;
    private volatile Duration delay = Duration.ZERO;
    private volatile BiConsumer<byte[], InetSocketAddress> beforeAnswering = (query, sender) -> { };
    private volatile byte[] address = ANSWER_ADDRESS;

    /** What the question of an answer says, against the query's. */
    public enum Question {
        /** the query's question, byte for byte */
        SAME,
        /** the query's name in upper case (as a server echoing 0x20 mixed case might) */
        UPPER_CASE,
        /** another name: what a forged answer to another query, or a confused server, sends */
        OTHER_NAME
    }

    /** From now on, A answers hold this address. */
    public void answerAddress(byte[] address) {
        this.address = address.clone();
    }

    /** From now on, each answer waits this long, after {@link #beforeAnswering} has run. */
    public void delayAnswers(Duration delay) {
        this.delay = delay;
    }

    /** From now on, this runs on every UDP query received (its bytes and where it came from) before it is answered. */
    public void beforeAnswering(BiConsumer<byte[], InetSocketAddress> hook) {
        this.beforeAnswering = hook;
    }

    /** Sends a datagram from the upstream's own address and port: what an attacker spoofing it sends. */
    public void sendFromUpstream(byte[] datagram, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    /** The UDP queries received, as they came, in order. */
    public List<byte[]> received() {
        return List.copyOf(received);
    }

    /** The source ports of the UDP queries received, in order. */
    public List<Integer> sourcePorts() {
        return List.copyOf(sourcePorts);
    }

    /** From now on, answers carry this question. */
    public void answerWith(Question question) {
        this.question = question;
    }

    public FakeUpstream() throws IOException {
        // One port for UDP and TCP: the port the system gives UDP may be taken for TCP; then ask again.
        DatagramSocket udp = null;
        ServerSocket stream = null;
        for (int attempt = 0; stream == null; attempt++) {
            udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                stream = new ServerSocket(udp.getLocalPort(), 50, InetAddress.getLoopbackAddress());
            } catch (java.net.BindException e) {
                udp.close();
                if (attempt == 20) {
                    throw e;
                }
            }
        }
        socket = udp;
        tcp = stream;
        thread = new Thread(this::serve, "fake-upstream");
        thread.setDaemon(true);
        thread.start();
        tcpThread = new Thread(this::serveTcp, "fake-upstream-tcp");
        tcpThread.setDaemon(true);
        tcpThread.start();
    }

    /** Queries that came over TCP. */
    public int tcpQueries() {
        return tcpQueries.get();
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket connection = tcp.accept();
                 DataInputStream in = new DataInputStream(connection.getInputStream());
                 DataOutputStream out = new DataOutputStream(connection.getOutputStream())) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                tcpQueries.incrementAndGet();
                if (!silent) {
                    byte[] answer = answer(query, address);
                    out.writeShort(answer.length);
                    out.write(answer);
                    out.flush();
                }
                in.read(); // until the client closes
            } catch (IOException e) {
                // connection over; accept the next unless closed
            }
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public int queries() {
        return queries.get();
    }

    public void silence() {
        silent = true;
    }

    private void serve() {
        byte[] buffer = new byte[65_535];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            queries.incrementAndGet();
            sourcePorts.add(packet.getPort());
            if (silent) {
                continue;
            }
            byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
            received.add(query);
            beforeAnswering.accept(query, (InetSocketAddress) packet.getSocketAddress());
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis()); // the genuine answer comes late: a forger's window
                } catch (InterruptedException e) {
                    return;
                }
            }
            byte[] answer = answer(query, address);
            if (question == Question.OTHER_NAME) {
                answer[13] = (byte) (answer[13] == 'x' ? 'y' : 'x'); // the first letter of the name
            } else if (question == Question.UPPER_CASE) {
                for (int at = 12; answer[at] != 0; at += (answer[at] & 0xff) + 1) {
                    for (int i = at + 1; i <= at + (answer[at] & 0xff); i++) {
                        answer[i] = (byte) Character.toUpperCase((char) answer[i]);
                    }
                }
            }
            try {
                socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Records in the answer to a name starting with "big.": over 4,000 bytes, as DNSSEC or TXT answers can be. */
    public static final int BIG_ANSWER_RECORDS = 300;

    /**
     * The answer to a query: its header and question, and one A record of {@code address} (TTL 60) —
     * or, for a name starting with "big.", {@link #BIG_ANSWER_RECORDS} of them.
     */
    public static byte[] answer(byte[] query, byte[] address) {
        int questionEnd = 12;
        while (query[questionEnd] != 0) {
            questionEnd += (query[questionEnd] & 0xff) + 1;
        }
        questionEnd += 5;
        boolean big = query[12] == 3 && query[13] == 'b' && query[14] == 'i' && query[15] == 'g';
        int records = big ? BIG_ANSWER_RECORDS : 1;
        byte[] answer = Arrays.copyOf(query, questionEnd + 16 * records);
        answer[2] = (byte) 0x81; // response, recursion desired
        answer[3] = (byte) 0x80; // recursion available, NOERROR
        answer[6] = (byte) (records >> 8);
        answer[7] = (byte) records;
        answer[10] = 0;          // no additional records
        answer[11] = 0;
        byte[] record = {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4};
        for (int i = 0; i < records; i++) {
            int at = questionEnd + 16 * i;
            System.arraycopy(record, 0, answer, at, record.length);
            System.arraycopy(address, 0, answer, at + record.length, 4);
        }
        return answer;
    }

    @Override
    public void close() {
        socket.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
