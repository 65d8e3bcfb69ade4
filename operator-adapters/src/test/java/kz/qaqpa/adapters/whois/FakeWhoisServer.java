package kz.qaqpa.adapters.whois;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An RFC 3912 server on loopback for tests: reads the question line, answers with what the test
 * says for it, one connection at a time. {@link #answer} writes the answer of the .KZ registry's
 * WHOIS (whois.nic.kz), registrant's data and all.
 */
public final class FakeWhoisServer implements AutoCloseable {

    /** What to write for a question; it may also never write, until the server closes. */
    @FunctionalInterface
    public interface Reply {
        void write(String question, OutputStream out, CountDownLatch closing) throws Exception;
    }

    private final ServerSocket server;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<String> questions = new CopyOnWriteArrayList<>();

    public FakeWhoisServer(Reply reply) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    String question = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    questions.add(question);
                    OutputStream out = socket.getOutputStream();
                    reply.write(question, out, closing);
                    out.flush();
                } catch (Exception e) {
                    // the client hung up, or the server is closing
                }
            }
        }, "fake-whois");
        accepting.setDaemon(true);
        accepting.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The questions asked, in order. */
    public List<String> questions() {
        return List.copyOf(questions);
    }

    /** Waits until the server closes (for a reply that never answers); false when {@code millis} passed first. */
    public static boolean awaitClosing(CountDownLatch closing, long millis) throws InterruptedException {
        return closing.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The .KZ registry's answer for {@code domain} with {@code registrar} as its current registrar
     * (none: the registrar lines left out), and the registrant's data the gateway must pass over.
     */
    public static String answer(String domain, String registrar) {
        String registrarLines = registrar == null ? "" : "Registar created: " + registrar + "\nCurrent Registar: " + registrar + "\n";
        return """
                Whois Server for the KZ top level domain name.
                This server is maintained by KazNIC Organization, a ccTLD manager for Kazakhstan Republic.

                Domain Name............: %s

                Organization Using Domain Name
                Name...................: Айгүл Серікқызы
                Organization Name......: ЖК Серікқызы
                Street Address.........: Абай даңғылы 10
                City...................: Алматы
                Country................: KZ

                Administrative Contact/Agent
                NIC Handle.............: C000123456-KZ
                Name...................: Айгүл Серікқызы
                Phone Number...........: +7.7011234567
                Email Address..........: owner@example.kz

                Nameserver in listed order

                Primary server.........: ns1.hoster.kz
                Primary ip address.....: 192.0.2.53

                Domain created: 2019-03-14 09:12:44 (GMT+0:00)
                Last modified : 2026-10-01 11:00:02 (GMT+0:00)
                Domain status : clientTransferProhibited - status prohibits transfer
                                ok - normal state

                """.formatted(domain) + registrarLines;
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        server.close();
    }
}
