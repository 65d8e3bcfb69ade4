package kz.qaqpa.adapters.whois;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import kz.qaqpa.adapters.whois.RegistryWhois.Answer;
import kz.qaqpa.adapters.whois.RegistryWhois.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry's WHOIS asked over real TCP (RFC 3912): a server in the test answers as the .KZ
 * registry does — or names no registrar, or answers far too much, or never, or a byte at a time.
 */
class RegistryWhoisTest {

    /** An answer in the form of whois.nic.kz, with the registrant's data the gateway must pass over. */
    static final String KZ_ANSWER = """
            Whois Server for the KZ top level domain name.
            This server is maintained by KazNIC Organization, a ccTLD manager for Kazakhstan Republic.

            Domain Name............: xn--80aaxitdbjk.xn--80ao21a

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

            Registar created: HOSTER.KZ
            Current Registar: HOSTER.KZ
            """;

    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRegistrarAndDatesAreReadAndTheRegistrantsDataIsNot() throws Exception {
        Answer answer = whois(out -> out.write(KZ_ANSWER.getBytes(StandardCharsets.UTF_8))).lookup("xn--80aaxitdbjk.xn--80ao21a");

        assertThat(answer.status()).isEqualTo(Status.FOUND);
        assertThat(answer.registrar()).contains("HOSTER.KZ");
        assertThat(answer.created()).contains("2019-03-14 09:12:44 (GMT+0:00)");
        assertThat(answer.modified()).contains("2026-10-01 11:00:02 (GMT+0:00)");
        assertThat(answer.statuses()).containsExactly("clientTransferProhibited - status prohibits transfer");
        assertThat(queries).containsExactly("xn--80aaxitdbjk.xn--80ao21a");
        assertThat(answer.toString()).as("seed 000 §9: the registrant's data is confidential")
                .doesNotContain("Серікқызы", "Абай", "+7.7011234567", "owner@example.kz", "C000123456");
    }

    @Test
    void anAnswerWithoutARegistrarOrForAnUnknownNameSaysSo() throws Exception {
        String withoutRegistrar = KZ_ANSWER.replaceAll("(?m)^.*Regist?r?ar.*$", "");
        Answer answer = whois(out -> out.write(withoutRegistrar.getBytes(StandardCharsets.UTF_8))).lookup("shop.kz");
        assertThat(answer.status()).isEqualTo(Status.NO_REGISTRAR);
        assertThat(answer.registrar()).isEmpty();
        assertThat(answer.created()).isPresent();

        server.close();
        Answer unknown = whois(out -> out.write("*** Nothing found for this query.\n".getBytes(StandardCharsets.UTF_8)))
                .lookup("absent.kz");
        assertThat(unknown.status()).isEqualTo(Status.NOT_REGISTERED);
    }

    @Test
    void anAnswerLargerThanTheBoundIsNoAnswer() throws Exception {
        Answer answer = whois(out -> {
            byte[] line = "Remarks................: padding the answer past any bound\n".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 20_000; i++) {
                out.write(line);
            }
            out.write("Current Registar: HOSTER.KZ\n".getBytes(StandardCharsets.UTF_8));
        }).lookup("big.kz");

        assertThat(answer.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(answer.registrar()).as("a registrar after the bound is not believed").isEmpty();
        assertThat(answer.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("larger than 65536 bytes"));
    }

    @Test
    void aServerThatNeverAnswersOrDripsIsCutOffAtTheDeadline() throws Exception {
        Answer silent = whois(out -> awaitRelease()).lookup("silent.kz");
        assertThat(silent.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(silent.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("no answer", "within PT1S"));

        server.close();
        Answer dripping = whois(out -> {
            for (byte b : KZ_ANSWER.getBytes(StandardCharsets.UTF_8)) {
                out.write(b);
                out.flush();
                if (release.await(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        }).lookup("drip.kz");
        assertThat(dripping.status()).as("each byte in time, the whole answer not").isEqualTo(Status.UNAVAILABLE);
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface Reply {
        void write(OutputStream out) throws Exception;
    }

    /** A one-connection-at-a-time WHOIS server on loopback replying with {@code reply}, and the client for it. */
    private RegistryWhois whois(Reply reply) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        ServerSocket listening = server;
        Thread accepting = new Thread(() -> {
            while (!listening.isClosed()) {
                try (Socket socket = listening.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                    queries.add(in.readLine());
                    OutputStream out = socket.getOutputStream();
                    reply.write(out);
                    out.flush();
                } catch (Exception e) {
                    // the client hung up, or the test closed the server
                }
            }
        }, "whois-server");
        accepting.setDaemon(true);
        accepting.start();
        return new RegistryWhois("127.0.0.1", server.getLocalPort(), 64 * 1024, Duration.ofSeconds(1));
    }
}
