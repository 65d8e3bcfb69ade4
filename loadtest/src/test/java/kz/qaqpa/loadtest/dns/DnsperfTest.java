package kz.qaqpa.loadtest.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DNS benchmark's reading of dnsperf, against real dnsperf: a run's rate is its answers over the
 * seconds it sent for, even when answers that came after dnsperf gave their queries up stretch its
 * own run time — as our node's SERVFAILs after its upstream timeout did (BENCHMARKS.md, "dnsperf's
 * own rate").
 */
class DnsperfTest {

    private static final int SECONDS = 2;
    /** Every this many queries, the answer comes after dnsperf's timeout. */
    private static final int LATE_EVERY = 50;

    @TempDir
    Path dir;

    @Test
    void answersAfterTheTimeoutAreCountedLateAndDoNotStretchTheRate() throws Exception {
        assertThat(Path.of("/usr/bin/dnsperf")).as("dnsperf is a test peer: apt-get install dnsperf (.ci/run does)")
                .isExecutable();
        Path queries = Files.writeString(dir.resolve("queries.txt"),
                IntStream.range(0, 1_000).mapToObj(i -> "name" + i + ".example A").collect(Collectors.joining("\n", "", "\n")));
        try (Responder responder = new Responder()) {
            Dnsperf.Result result = Dnsperf.run(queries, responder.port(), "0-1", SECONDS, 500, false, Set.of());

            assertThat(responder.delayed.get()).isPositive();
            assertThat(result.late()).as("answers dnsperf had given up on").isPositive();
            assertThat(result.runSeconds()).as("dnsperf's own run time, stretched by them").isGreaterThan(SECONDS + 0.2);
            assertThat(result.qps()).isEqualTo(result.completed() / (double) SECONDS);
            assertThat(result.qps()).isGreaterThan(result.completed() / result.runSeconds());
            assertThat(result.lost()).as("each delayed query is lost to dnsperf").isGreaterThanOrEqualTo(result.late());
        }
    }

    /** Answers every query at once with an empty NOERROR, but every {@link #LATE_EVERY}th 2.5 s late. */
    private static final class Responder implements AutoCloseable {

        private final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        private final AtomicInteger delayed = new AtomicInteger();
        private final Thread reader = new Thread(this::answer, "dnsperf-test-responder");

        Responder() throws SocketException {
            reader.setDaemon(true);
            reader.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void answer() {
            byte[] buffer = new byte[512];
            int count = 0;
            while (!socket.isClosed()) {
                try {
                    DatagramPacket query = new DatagramPacket(buffer, buffer.length);
                    socket.receive(query);
                    byte[] response = Arrays.copyOf(query.getData(), query.getLength());
                    response[2] |= (byte) 0x80; // QR: a response; RCODE stays NOERROR
                    DatagramPacket packet = new DatagramPacket(response, response.length, query.getSocketAddress());
                    if (++count % LATE_EVERY == 0) {
                        delayed.incrementAndGet();
                        later.schedule(() -> send(packet), Dnsperf.TIMEOUT_SECONDS * 1_000L + 500, TimeUnit.MILLISECONDS);
                    } else {
                        send(packet);
                    }
                } catch (Exception e) {
                    return; // closed
                }
            }
        }

        private void send(DatagramPacket packet) {
            try {
                socket.send(packet);
            } catch (Exception e) {
                // closed: the run is over
            }
        }

        @Override
        public void close() throws InterruptedException {
            later.shutdownNow();
            socket.close();
            reader.join();
        }
    }
}
