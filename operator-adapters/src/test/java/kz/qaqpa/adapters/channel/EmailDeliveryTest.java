package kz.qaqpa.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kz.qaqpa.adapters.FanOut;
import kz.qaqpa.adapters.outbox.DeliveryStatus;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.directives.directive.StoredDirective;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import kz.qaqpa.directives.text.TextsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notices sent to a real SMTP and SMTPS server (GreenMail), read back as a mail client would. */
class EmailDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DELIVERED = Duration.ofSeconds(30);

    @TempDir
    static Path certificates;

    private static ServerCertificate certificate;
    private static GreenMail mail;

    @TempDir
    Path dir;

    private FanOut fanOut;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void startMailServer() throws Exception {
        // GreenMail's SMTPS presents this key store's certificate, made for 127.0.0.1 by openssl.
        certificate = ServerCertificate.make(certificates, "smtps");
        System.setProperty("greenmail.tls.keystore.file", certificate.keyStore().toString());
        System.setProperty("greenmail.tls.keystore.password", certificate.password());
        mail = new GreenMail(new com.icegreen.greenmail.util.ServerSetup[] {
                ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort()});
        mail.start();
        mail.setUser("noc@operator.kz", "operator", "s3cret");
    }

    @AfterAll
    static void stopMailServer() {
        mail.stop();
    }

    @BeforeEach
    void start() throws Exception {
        fanOut = new FanOut(dir, ThrowAwayDatabase.h2());
        mail.purgeEmailFromAllMailboxes();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
        fanOut.close();
    }

    @Test
    void noticeInKazakhAndRussianCarriesTheSignedDocument() throws Exception {
        fanOut.operator("mail", ChannelKind.EMAIL, settings(mail.getSmtp().getPort(), false).toString());
        StoredDirective restrict = fanOut.submit(DirectiveJson.restrict("12-3/456").domain("сайт.қаз", true)
                .target("URL", "https://example.kz/bad/page"));

        dispatch();

        await().atMost(DELIVERED).until(() -> fanOut.deliveries.forDirective(restrict.id()).get(0).status()
                == DeliveryStatus.DELIVERED);
        MimeMessage[] received = mail.getReceivedMessages();
        assertThat(received).hasSize(2); // one copy per address
        MimeMessage message = received[0];
        assertThat(message.getSubject()).isEqualTo(
                "Нұсқама / Предписание № 12-3/456 — интернет-ресурсқа қол жеткізуді шектеу / ограничение доступа к интернет-ресурсу");
        assertThat(message.getHeader(EmailChannel.IDEMPOTENCY_HEADER)[0])
                .isEqualTo("qaqpa-delivery-" + fanOut.deliveries.forDirective(restrict.id()).get(0).id());
        MimeMultipart parts = (MimeMultipart) message.getContent();
        String notice = (String) parts.getBodyPart(0).getContent();
        assertThat(notice).doesNotContain("қолжетімділік"); // "availability"; the seeds say "қол жеткізу" (access)
        assertThat(notice).contains("Уәкілетті органның 2026 жылғы 20 қарашадағы № 12-3/456 нұсқамасы",
                "Әрекеті: интернет-ресурсқа қол жеткізуді шектеу",
                "Уәкілетті орган: " + DirectiveJson.AUTHORITY_NAME, "БСН " + DirectiveJson.AUTHORITY_BIN);
        assertThat(notice).contains("Предписание № 12-3/456 от 20.11.2026", "Действие: ограничение доступа к интернет-ресурсу",
                "Уполномоченный орган: " + DirectiveJson.AUTHORITY_NAME, "БИН " + DirectiveJson.AUTHORITY_BIN);
        assertThat(notice).contains("сайт.қаз", "https://example.kz/bad/page");
        BodyPart document = parts.getBodyPart(1);
        assertThat(document.getFileName()).isEqualTo("12-3_456.json");
        assertThat(document.getInputStream().readAllBytes()).isEqualTo(restrict.document());
        BodyPart signature = parts.getBodyPart(2);
        assertThat(signature.getFileName()).isEqualTo("12-3_456.p7s");
        assertThat(signature.getInputStream().readAllBytes()).isEqualTo(restrict.signature());
    }

    @Test
    void restoreNoticeOverSmtpsWithLoginSaysWhatItCancels() throws Exception {
        fanOut.operator("secure", ChannelKind.EMAIL, settings(mail.getSmtps().getPort(), true)
                .put("user", "operator").put("password", "s3cret").toString());
        fanOut.submit(DirectiveJson.restrict("R-1").domain("back.kz", false));
        StoredDirective restore = fanOut.submit(DirectiveJson.restore("R-2", "R-1")
                .authorityNames(OrderLetterCheck.KAZAKH_NAME, OrderLetterCheck.RUSSIAN_NAME));

        dispatch();

        await().atMost(DELIVERED).until(() -> fanOut.deliveries.forDirective(restore.id()).get(0).status()
                == DeliveryStatus.DELIVERED);
        MimeMessage last = mail.getReceivedMessages()[mail.getReceivedMessages().length - 1];
        // Seed 003 §6: what restores access is the authority's тапсырма (поручение), not a нұсқама.
        assertThat(last.getSubject()).isEqualTo("Тапсырма / Поручение № R-2 — интернет-ресурсқа қол жеткізуді қайта бастау"
                + " / возобновление доступа к интернет-ресурсу");
        String notice = (String) ((MimeMultipart) last.getContent()).getBodyPart(0).getContent();
        assertThat(notice).contains("Уәкілетті органның 2026 жылғы 20 қарашадағы № R-2 тапсырмасы", "Поручение № R-2",
                "уәкілетті органның 2026 жылғы 20 қарашадағы № R-1 нұсқамасының күшін жояды",
                "Отменяет предписание уполномоченного органа от 20.11.2026 № R-1", "(RESUMED)",
                "Уәкілетті орган: " + OrderLetterCheck.KAZAKH_NAME + " (БСН", "Уполномоченный орган: " + OrderLetterCheck.RUSSIAN_NAME + " (БИН");
        assertThat(notice).as("the resources access is resumed to, though the RESTORE lists none")
                .contains("Қол жеткізу қайта басталатын ресурстар:\r\n  - back.kz", "Ресурсы, доступ к которым возобновляется:\r\n  - back.kz");
    }

    /** Seed 003 §6: the restoration order goes with the RESTORE, as text and as PDF, in Kazakh and Russian. */
    @Test
    void aRestoreCarryingTheOrderHasItAttachedAsTextAndPdf() throws Exception {
        fanOut.operator("mail", ChannelKind.EMAIL, settings(mail.getSmtp().getPort(), false).toString());
        fanOut.submit(DirectiveJson.restrict("12-3/456").domain("casino.kz", true));
        StoredDirective restore = fanOut.submit(OrderLetterCheck.restore("12-3/456"));

        dispatch();

        await().atMost(DELIVERED).until(() -> fanOut.deliveries.forDirective(restore.id()).get(0).status()
                == DeliveryStatus.DELIVERED);
        MimeMessage last = mail.getReceivedMessages()[mail.getReceivedMessages().length - 1];
        assertThat(last.getSubject()).startsWith("Тапсырма / Поручение № 01-05/777");
        MimeMultipart parts = (MimeMultipart) last.getContent();
        assertThat(parts.getCount()).isEqualTo(5);
        BodyPart text = parts.getBodyPart(3);
        BodyPart pdf = parts.getBodyPart(4);
        assertThat(text.getFileName()).isEqualTo("01-05_777.order.txt");
        assertThat(pdf.getFileName()).isEqualTo("01-05_777.order.pdf");
        assertThat(pdf.getContentType()).startsWith("application/pdf");
        OrderLetterCheck.assertLetter(new String(text.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                pdf.getInputStream().readAllBytes(), restore.document());
    }

    @Test
    void theNoticeHasEveryLineInKazakhAndInRussian() {
        TextsTest.assertSameKeys("kz.qaqpa.adapters.channel.notice", "kk", "ru");
    }

    private ObjectNode settings(int port, boolean tls) {
        ObjectNode settings = JSON.createObjectNode().put("host", "127.0.0.1").put("port", port)
                .put("from", "qaqpa@gateway.kz");
        settings.putArray("to").add("noc@operator.kz").add("duty@operator.kz");
        if (tls) {
            settings.put("tls", true).put("trustedCertificate", certificate.pem());
        }
        return settings;
    }

    private void dispatch() {
        closing.add(fanOut.dispatcher(new Channels().with(ChannelKind.EMAIL, new EmailChannel(Duration.ofSeconds(5))),
                FanOut.FAST));
    }
}
