package kz.qaqpa.blocklist.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Ports free on this machine for a test's own servers, for parts that must know them before they start. */
public final class FreePorts {

    private FreePorts() {
    }

    /** {@code count} distinct TCP ports that were free a moment ago: all held open together, then released. */
    public static int[] take(int count) throws IOException {
        int[] ports = new int[count];
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                open.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : open) {
                socket.close();
            }
        }
        return ports;
    }
}
