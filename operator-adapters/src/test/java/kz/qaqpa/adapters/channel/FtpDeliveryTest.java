package kz.qaqpa.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import kz.qaqpa.adapters.FanOut;
import kz.qaqpa.adapters.TestFtpServer;
import kz.qaqpa.adapters.outbox.DeliveryStatus;
import kz.qaqpa.adapters.outbox.DeliveryView;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drops on a real FTP server (Apache MINA FtpServer), plain and explicit TLS. */
class FtpDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DELIVERED = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private FanOut fanOut;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fanOut = new FanOut(dir.resolve("pki"), ThrowAwayDatabase.h2());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
        fanOut.close();
    }

    @Test
    void restrictAndRestoreAreDroppedWithTheirSignaturesAndNoTemporaryFileIsLeft() throws Exception {
        Path home = Files.createDirectories(dir.resolve("plain"));
        Files.createDirectories(home.resolve("inbox"));
        int port = ftpServer(home, null);
        fanOut.operator("kazakhtelecom", ChannelKind.FTP, settings(port, false, null).toString());
        StoredDirective restrict = fanOut.submit(DirectiveJson.restrict("12-3/456").domain("casino.kz", true));
        StoredDirective restore = fanOut.submit(DirectiveJson.restore("12-3/457", "12-3/456"));

        dispatch();

        await().atMost(DELIVERED).until(() -> view(restore).status() == DeliveryStatus.DELIVERED);
        Path inbox = home.resolve("inbox");
        assertThat(Files.readAllBytes(inbox.resolve("12-3_456.json"))).isEqualTo(restrict.document());
        assertThat(Files.readAllBytes(inbox.resolve("12-3_456.p7s"))).isEqualTo(restrict.signature());
        assertThat(Files.readAllBytes(inbox.resolve("12-3_457.json"))).isEqualTo(restore.document());
        assertThat(Files.readAllBytes(inbox.resolve("12-3_457.p7s"))).isEqualTo(restore.signature());
        try (Stream<Path> files = Files.list(inbox)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("12-3_456.json", "12-3_456.p7s", "12-3_457.json", "12-3_457.p7s");
        }
        assertThat(view(restrict).deliveredAt().orElseThrow()).isBeforeOrEqualTo(view(restore).deliveredAt().orElseThrow());
    }

    /** Seed 003 §6: the restoration order is dropped with the RESTORE that carries it, as text and as PDF, before the document. */
    @Test
    void aRestoreCarryingTheOrderIsDroppedWithTheOrderAsTextAndPdf() throws Exception {
        Path home = Files.createDirectories(dir.resolve("orders"));
        Files.createDirectories(home.resolve("inbox"));
        fanOut.operator("kazakhtelecom", ChannelKind.FTP, settings(ftpServer(home, null), false, null).toString());
        fanOut.submit(DirectiveJson.restrict("12-3/456").domain("casino.kz", true));
        StoredDirective restore = fanOut.submit(OrderLetterCheck.restore("12-3/456"));

        dispatch();

        await().atMost(DELIVERED).until(() -> view(restore).status() == DeliveryStatus.DELIVERED);
        Path inbox = home.resolve("inbox");
        OrderLetterCheck.assertLetter(Files.readString(inbox.resolve("01-05_777.order.txt")),
                Files.readAllBytes(inbox.resolve("01-05_777.order.pdf")), restore.document());
        assertThat(Files.readAllBytes(inbox.resolve("01-05_777.json"))).isEqualTo(restore.document());
    }

    @Test
    void explicitTlsDropsWhenTheServersCertificateIsTrustedAndRefusesOtherwise() throws Exception {
        ServerCertificate certificate = ServerCertificate.make(dir, "ftps");
        ServerCertificate stranger = ServerCertificate.make(dir, "stranger");
        Path home = Files.createDirectories(dir.resolve("tls"));
        Files.createDirectories(home.resolve("inbox"));
        int port = ftpServer(home, certificate);
        fanOut.operator("trusting", ChannelKind.FTP, settings(port, true, certificate.pem()).toString());
        fanOut.operator("wary", ChannelKind.FTP, settings(port, true, stranger.pem()).toString());

        StoredDirective restrict = fanOut.submit(DirectiveJson.restrict("TLS-1").domain("tls.kz", false));
        dispatch();

        await().atMost(DELIVERED).until(() -> deliveryTo(restrict, "trusting").status() == DeliveryStatus.DELIVERED
                && deliveryTo(restrict, "wary").attempts() >= 2);
        assertThat(Files.readAllBytes(home.resolve("inbox/TLS-1.json"))).isEqualTo(restrict.document());
        DeliveryView refused = deliveryTo(restrict, "wary");
        assertThat(refused.status()).isEqualTo(DeliveryStatus.QUEUED);
        assertThat(refused.lastError().orElseThrow()).containsIgnoringCase("certificat");
    }

    @Test
    void aRepeatedDropReplacesTheFileWithTheSameBytes() throws Exception {
        Path home = Files.createDirectories(dir.resolve("again"));
        Files.createDirectories(home.resolve("inbox"));
        int port = ftpServer(home, null);
        fanOut.operator("again", ChannelKind.FTP, settings(port, false, null).toString());
        StoredDirective restrict = fanOut.submit(DirectiveJson.restrict("AGAIN-1").domain("again.kz", false));
        var addressed = fanOut.deliveries.parcel(view(restrict).id()).orElseThrow();
        FtpChannel ftp = new FtpChannel(Duration.ofSeconds(5));

        ftp.deliver(addressed.parcel(), addressed.recipient().settings());
        ftp.deliver(addressed.parcel(), addressed.recipient().settings());

        try (Stream<Path> files = Files.list(home.resolve("inbox"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder("AGAIN-1.json", "AGAIN-1.p7s");
        }
        assertThat(Files.readAllBytes(home.resolve("inbox/AGAIN-1.json"))).isEqualTo(restrict.document());
    }

    private ObjectNode settings(int port, boolean tls, String pem) {
        ObjectNode settings = JSON.createObjectNode().put("host", "127.0.0.1").put("port", port)
                .put("user", TestFtpServer.USER).put("password", TestFtpServer.PASSWORD).put("directory", "inbox");
        if (tls) {
            settings.put("tls", true).put("trustedCertificate", pem);
        } else {
            settings.put("allowPlaintextCredentials", true); // the test's own FTP server on loopback
        }
        return settings;
    }

    private void dispatch() {
        closing.add(fanOut.dispatcher(new Channels().with(ChannelKind.FTP, new FtpChannel(Duration.ofSeconds(5))), FanOut.FAST));
    }

    private int ftpServer(Path home, ServerCertificate certificate) throws Exception {
        TestFtpServer server = certificate == null ? new TestFtpServer(home, null, null)
                : new TestFtpServer(home, certificate.keyStore(), certificate.password());
        closing.add(server);
        return server.port();
    }

    private DeliveryView view(StoredDirective directive) throws Exception {
        return fanOut.deliveries.forDirective(directive.id()).get(0);
    }

    private DeliveryView deliveryTo(StoredDirective directive, String recipient) throws Exception {
        return fanOut.deliveries.forDirective(directive.id()).stream()
                .filter(view -> view.recipientId().equals(recipient)).findFirst().orElseThrow();
    }
}
