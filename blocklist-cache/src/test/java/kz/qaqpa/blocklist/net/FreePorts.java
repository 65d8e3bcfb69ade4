package kz.qaqpa.blocklist.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports free on this machine for a test's own servers, for parts that must know them before they
 * start. They are taken below the system's ephemeral range, so that no outgoing connection or
 * unbound datagram socket — of the test, of the process it starts, of anyone — is given one of
 * them between the test choosing it and its server binding it; and each is free for TCP and UDP
 * both, as a DNS service needs.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 1_000;

    private FreePorts() {
    }

    /** {@code count} distinct ports free for TCP and UDP a moment ago: all held open together, then released. */
    public static int[] take(int count) throws IOException {
        int highest = Math.max(ephemeralStart() - 1, LOWEST + 1_000);
        int[] ports = new int[count];
        List<AutoCloseable> open = new ArrayList<>();
        try {
            int found = 0;
            for (int attempt = 0; found < count; attempt++) {
                if (attempt == ATTEMPTS) {
                    throw new IOException("no free port between " + LOWEST + " and " + highest);
                }
                int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
                ServerSocket stream = null;
                try {
                    stream = new ServerSocket();
                    stream.bind(new InetSocketAddress(port));
                    open.add(stream);
                    open.add(new DatagramSocket(port));
                    ports[found++] = port;
                } catch (IOException taken) {
                    if (stream != null) {
                        stream.close(); // taken for UDP (or already ours): try another
                    }
                }
            }
        } finally {
            for (AutoCloseable socket : open) {
                try {
                    socket.close();
                } catch (Exception ignored) {
                    // nothing held
                }
            }
        }
        return ports;
    }

    /** The first port the system hands out on its own (Linux's ip_local_port_range; 32768 elsewhere). */
    private static int ephemeralStart() {
        // Read as a stream: the file states no size, and Files.readString trusts the size it states.
        try (BufferedReader range = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(range.readLine().strip().split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            return 32_768;
        }
    }
}
