package kz.qaqpa.blocklist.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.blocklist.matcher.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain HTTP through the filter, written byte by byte as a hostile client would: every request on
 * a kept-alive or pipelined connection is judged, a body is never taken for a request, a head the
 * filter and the origin could read differently is refused, and a refused Upgrade leaves the
 * connection judged. The subscriber speaks PROXY protocol v1 itself; the origin is the JDK's
 * HTTP server, which keeps connections alive.
 */
class HttpGateTest {

    @TempDir
    Path dir;

    private Peers peers;
    private TrafficFilter filter;
    private InetSocketAddress origin;

    @BeforeEach
    void start() throws Exception {
        peers = new Peers(dir);
        origin = peers.httpOrigin(new InetSocketAddress("127.0.0.1", 0)).getAddress();
        Matcher matcher = Matcher.builder()
                .addDomain("casino.test", false, "N-HOST")
                .addUrl("http://shop.test/bad", "shop.test", "N-URL")
                .build();
        filter = TrafficFilter.start(TrafficFilter.Settings.of(
                        List.of(new TrafficFilter.Listener(TrafficFilter.Mode.PROXY, new InetSocketAddress("127.0.0.1", 0))),
                        Optional.empty()),
                () -> Optional.of(matcher), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        if (filter != null) {
            filter.close();
        }
        peers.close();
    }

    @Test
    void everyRequestOnAKeptAliveConnectionIsJudged() throws Exception {
        String answers = exchange(get("/good") + get("/bad"));
        assertThat(answers).startsWith("HTTP/1.1 200").contains("origin /good").contains("HTTP/1.1 451")
                .contains("№ N-URL").doesNotContain("origin /bad");
        assertThat(answers.indexOf("origin /good")).as("the origin's answer first, then the refusal")
                .isLessThan(answers.indexOf("HTTP/1.1 451"));
        assertThat(peers.requests).containsExactly("127.0.0.1 /good");
    }

    @Test
    void aRequestAfterOneAnsweredIsJudgedToo() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(bytes(get("/good")));
            String first = readUntil(socket.getInputStream(), "origin /good");
            assertThat(first).startsWith("HTTP/1.1 200");
            socket.getOutputStream().write(bytes(get("/./bad")));
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 451");
        }
        assertThat(peers.requests).containsExactly("127.0.0.1 /good");
    }

    @Test
    void hostsAreComparedAsNamesWhateverTheirCaseOrTrailingDotOrForm() throws Exception {
        assertThat(exchange("GET / HTTP/1.1\r\nHost: CASINO.Test.:8080\r\n\r\n")).startsWith("HTTP/1.1 451");
        assertThat(exchange("GET http://shop.test/bad HTTP/1.1\r\nHost: elsewhere.test\r\n\r\n"))
                .as("the absolute form's host is the request's").startsWith("HTTP/1.1 451");
        assertThat(exchange("GET /%62ad HTTP/1.1\r\nHost: shop.test\r\n\r\n")).as("percent-encoded unreserved").startsWith("HTTP/1.1 451");
        assertThat(exchange("GET /bad?again HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n")).as("another URL").startsWith("HTTP/1.1 200");
        assertThat(peers.requests).containsExactly("127.0.0.1 /bad?again");
    }

    @Test
    void aBodyIsPassedAsItCameAndNeverTakenForARequest() throws Exception {
        String smuggled = get("/bad");
        String lengthFramed = "POST /good HTTP/1.1\r\nHost: shop.test\r\nContent-Length: " + smuggled.length() + "\r\n\r\n" + smuggled;
        String chunked = "POST /good HTTP/1.1\r\nHost: shop.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(smuggled.length()) + ";ext=1\r\n" + smuggled + "\r\n0\r\nTrailer: x\r\n\r\n";
        String answers = exchange(lengthFramed + chunked + get("/bad"));
        assertThat(answers).contains("origin /good body " + smuggled.length()).contains("HTTP/1.1 451");
        assertThat(peers.requests).containsExactly("127.0.0.1 /good", "127.0.0.1 /good");
    }

    @Test
    void whatWasPassedInTheReadThatBringsARefusalReachesTheOriginWhole() throws Exception {
        String body = "x".repeat(38);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(bytes("POST /good HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 38\r\n\r\n"
                    + body.substring(0, 10)));
            // The origin has the head: the connection to it is open before the rest comes.
            peers.awaitRequests(1);
            socket.getOutputStream().write(bytes(body.substring(10) + get("/bad")));
            String answers = readAll(socket.getInputStream());
            assertThat(answers).as("the passed body's tail went out before the origin's input ended")
                    .contains("origin /good body 38").contains("HTTP/1.1 451");
            assertThat(answers.indexOf("origin /good")).isLessThan(answers.indexOf("HTTP/1.1 451"));
        }
    }

    @Test
    void aHeadTheOriginCouldReadOtherwiseIsRefusedNotPassed() throws Exception {
        // The filter's own answers, not an origin's: what the origin could read otherwise never reaches it.
        String refused = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        String tooLarge = "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        assertThat(exchange("POST /good HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n")).isEqualTo(refused);
        assertThat(exchange("POST /good HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd"))
                .isEqualTo(refused);
        assertThat(exchange("GET /good HTTP/1.1\r\nHost: shop.test\r\nHost: casino.test\r\n\r\n")).isEqualTo(refused);
        assertThat(exchange("GET /good HTTP/1.1\r\nHost: shop.test\r\n X-Folded: yes\r\n\r\n")).isEqualTo(refused);
        assertThat(exchange("GET /good HTTP/1.1\r\n\r\n")).as("no Host").isEqualTo(refused);
        assertThat(exchange("GET /good\rHost:casino.test HTTP/1.1\r\nHost: shop.test\r\n\r\n"))
                .as("a bare CR in the request target").isEqualTo(refused);
        assertThat(exchange("GET /go\u0000od HTTP/1.1\r\nHost: shop.test\r\n\r\n")).as("a NUL in the request target")
                .isEqualTo(refused);
        assertThat(exchange("POST /good HTTP/1.1\r\nHost: shop.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r;x\r\nabcde\r\n0\r\n\r\n")).as("a bare CR in a chunk line").isEqualTo(refused);
        assertThat(exchange("POST /good HTTP/1.1\r\nHost: shop.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5" + ";x".repeat(3_000) + "\r\nabcde\r\n0\r\n\r\n")).as("a chunk line over 4 KiB").isEqualTo(refused);
        assertThat(exchange("GET /good HTTP/1.1\r\nHost: shop.test\r\nX-Big: " + "a".repeat(HttpGate.MAX_HEAD) + "\r\n\r\n"))
                .isEqualTo(tooLarge);
        assertThat(peers.requests).isEmpty();
    }

    @Test
    void aSubscriberThatEndsItsSideFirstStillGetsTheAnswer() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(bytes(get("/good")));
            socket.shutdownOutput();
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 200").endsWith("origin /good");
        }
    }

    @Test
    void anUpgradeTheOriginDeclinesLeavesTheConnectionJudged() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(bytes("GET /good HTTP/1.1\r\nHost: shop.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"));
            assertThat(readUntil(socket.getInputStream(), "origin /good")).startsWith("HTTP/1.1 200");
            socket.getOutputStream().write(bytes(get("/bad")));
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 451");
        }
    }

    @Test
    void connectionsBeyondTheLimitAreResetAtOnce() throws Exception {
        try (TrafficFilter small = TrafficFilter.start(TrafficFilter.Settings.of(
                        List.of(new TrafficFilter.Listener(TrafficFilter.Mode.PROXY, new InetSocketAddress("127.0.0.1", 0))),
                        Optional.empty()).withMaxConnections(2),
                () -> Optional.of(Matcher.builder().build()), new SimpleMeterRegistry());
             Socket first = new Socket();
             Socket second = new Socket();
             Socket third = new Socket()) {
            // Two held open without a PROXY header (the handshake timeout is 10 s); the third over the limit.
            first.connect(small.addresses().get(0));
            second.connect(small.addresses().get(0));
            third.setSoTimeout(5_000);
            third.connect(small.addresses().get(0));
            assertThat(readAll(third.getInputStream())).as("closed at once, nothing said").isEmpty();
            second.setSoTimeout(500);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> second.getInputStream().read()))
                    .as("the second is held open").isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void aPeerOnTheBalancersPortThatSendsNoHeaderIsClosed() throws Exception {
        TrafficFilter.Settings defaults = TrafficFilter.Settings.of(
                List.of(new TrafficFilter.Listener(TrafficFilter.Mode.PROXY, new InetSocketAddress("127.0.0.1", 0))),
                Optional.empty());
        TrafficFilter.Settings quick = new TrafficFilter.Settings(defaults.listeners(), defaults.publicUrl(), defaults.reset(),
                defaults.alert(), defaults.urlHosts(), defaults.passWithoutList(), defaults.idle(), defaults.connectTimeout(),
                java.time.Duration.ofMillis(300), defaults.maxConnections());
        try (TrafficFilter small = TrafficFilter.start(quick, () -> Optional.of(Matcher.builder().build()),
                new SimpleMeterRegistry());
             Socket silent = new Socket()) {
            silent.setSoTimeout(5_000);
            silent.connect(small.addresses().get(0));
            silent.getOutputStream().write(bytes("PROXY TCP4 10.0.0.1"));
            assertThat(silent.getInputStream().read()).as("closed once the header's time is up").isEqualTo(-1);
        }
    }

    private String exchange(String requests) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(bytes(requests));
            return readAll(socket.getInputStream());
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.connect(filter.addresses().get(0));
        socket.getOutputStream().write(bytes("PROXY TCP4 10.0.0.1 127.0.0.1 40000 " + origin.getPort() + "\r\n"));
        return socket;
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: shop.test\r\n\r\n";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            in.transferTo(out);
        } catch (SocketException e) {
            // A reset after the answer: what came before it is the answer.
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!out.toString(StandardCharsets.UTF_8).contains(end)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
