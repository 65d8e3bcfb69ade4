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
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.TestGateways;
import kz.qaqpa.gateway.config.HttpSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow-loris client — a request head sent a byte at a time, never finished — is cut off when the
 * request-head timeout (here 1 s) runs out, on a new connection and on a kept-alive one after its
 * first answer, and the gateway keeps answering others meanwhile; a request whose head came whole is
 * not cut however slowly its body follows. The clients are slow on purpose: their pauses are the
 * attack, not a wait for a result.
 */
class SlowClientTest {

    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    static Path dir;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(TestGateways.embedded(dir).withHttp(
                new HttpSecurity(HEAD_TIMEOUT, Optional.empty())));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aRequestHeadDribbledSlowerThanTheTimeoutIsCutOffWhileOthersAreServed() throws Exception {
        try (Socket loris = connect()) {
            loris.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertCutOffWhileDribbling(loris);
        }
    }

    @Test
    void aKeptAliveConnectionThatDribblesItsNextRequestHeadIsCutOffToo() throws Exception {
        try (Socket loris = connect()) {
            OutputStream out = loris.getOutputStream();
            out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(loris)).startsWith("HTTP/1.1 200");
            out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertCutOffWhileDribbling(loris);
        }
    }

    @Test
    void aBodySentSlowlyAfterAWholeHeadIsJudgedNotCutOff() throws Exception {
        try (Socket client = connect()) {
            OutputStream out = client.getOutputStream();
            String body = "{\"directiveNumber\": \"NO-SUCH-DIRECTIVE\", \"resource\": \"casino.kz\"}";
            out.write(("POST /api/v1/appeals HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // The head is whole; the body then takes two timeouts to arrive: not the head deadline's business.
            int third = body.length() / 3;
            for (String piece : List.of(body.substring(0, third), body.substring(third, 2 * third))) {
                out.write(piece.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(closedByServer(client, (int) HEAD_TIMEOUT.toMillis())).as("still open").isFalse();
            }
            out.write(body.substring(2 * third).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(client)).as("the appeal is judged (and refused)").matches("HTTP/1.1 4\\d\\d .*");
        }
    }

    /** Dribbles one header byte every 100 ms, ten times the timeout, and checks that the gateway cuts it off early. */
    private static void assertCutOffWhileDribbling(Socket loris) throws Exception {
        OutputStream out = loris.getOutputStream();
        long started = System.nanoTime();
        boolean closed = false;
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

    /** Reads one whole response (headers and a Content-Length body); returns its status line. */
    private static String readResponse(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int octet = in.read();
            if (octet < 0) {
                throw new IOException("closed before a whole response: " + head);
            }
            head.append((char) octet);
        }
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
        in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        return head.substring(0, head.indexOf("\r\n"));
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
