package kz.qaqpa.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.TestGateways;
import kz.qaqpa.gateway.config.HttpSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow-loris client — a request head sent a byte at a time, never finished — is cut off when the
 * request-head timeout (here 1 s) runs out, and the gateway keeps answering others meanwhile.
 * The client is slow on purpose: its pauses are the attack, not a wait for a result.
 */
class SlowClientTest {

    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    static Path dir;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(TestGateways.withHttp(TestGateways.embedded(dir),
                new HttpSecurity(HEAD_TIMEOUT, Optional.empty())));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aRequestHeadDribbledSlowerThanTheTimeoutIsCutOffWhileOthersAreServed() throws Exception {
        try (Socket loris = connect()) {
            OutputStream out = loris.getOutputStream();
            out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            boolean closed = false;
            // Ten times the timeout, one header byte every 100 ms: it would never finish by itself.
            for (int i = 0; i < 100 && !closed; i++) {
                assertThat(TestGateways.send(gateway, "GET", "/health/live").statusCode()).isEqualTo(200);
                try {
                    out.write('X');
                    out.flush();
                    closed = closedByServer(loris, 100);
                } catch (IOException reset) {
                    closed = true;
                }
            }
            Duration held = Duration.ofNanos(System.nanoTime() - started);
            assertThat(closed).as("cut off").isTrue();
            assertThat(held).as("within a few timeouts, not ten").isLessThan(HEAD_TIMEOUT.multipliedBy(5));
        }
    }

    @Test
    void aRequestSentWholeOnANewConnectionIsAnswered() throws Exception {
        assertThat(TestGateways.rawStatus(gateway.httpPort(), "127.0.0.1", "GET /health/live HTTP/1.1")).isEqualTo(200);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.httpPort()), 5_000);
        return socket;
    }

    /** Waits up to {@code millis} for the server to end the connection (end of stream or reset). */
    private static boolean closedByServer(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
