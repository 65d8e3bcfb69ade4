package kz.qaqpa.blocklist.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** An upstream resolver for tests: answers every A query with 192.0.2.53, or stays silent. */
public final class FakeUpstream implements AutoCloseable {

    public static final byte[] ANSWER_ADDRESS = {(byte) 192, 0, 2, 53};

    private final DatagramSocket socket;
    private final Thread thread;
    private final AtomicInteger queries = new AtomicInteger();
    private volatile boolean silent;

    public FakeUpstream() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "fake-upstream");
        thread.setDaemon(true);
        thread.start();
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
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            queries.incrementAndGet();
            if (silent) {
                continue;
            }
            byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
            int questionEnd = 12;
            while (query[questionEnd] != 0) {
                questionEnd += (query[questionEnd] & 0xff) + 1;
            }
            questionEnd += 5;
            byte[] answer = Arrays.copyOf(query, questionEnd + 16);
            answer[2] = (byte) 0x81; // response, recursion desired
            answer[3] = (byte) 0x80; // recursion available, NOERROR
            answer[7] = 1;           // one answer
            answer[10] = 0;          // no additional records
            answer[11] = 0;
            byte[] record = {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4};
            System.arraycopy(record, 0, answer, questionEnd, record.length);
            System.arraycopy(ANSWER_ADDRESS, 0, answer, questionEnd + record.length, 4);
            try {
                socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
