package kz.qaqpa.gateway.appeals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import kz.qaqpa.directives.appeal.AppealNotices;
import kz.qaqpa.directives.appeal.AppealRegister;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.gateway.TestGateways;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.AppealSettings;
import kz.qaqpa.gateway.config.AppealSettings.MailSettings;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.gateway.config.FeedSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The appellant hears of registration and decision by e-mail, in the language of the appeal (GreenMail). */
class AppealNoticeMailTest {

    @TempDir
    Path dir;

    private GreenMail mail;
    private SigningGateway authority;

    @BeforeEach
    void start() throws Exception {
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        authority = new SigningGateway(dir, DeliverySettings.defaults(), FeedSettings.onAnyPort(),
                new AppealSettings(Optional.empty(), Optional.of(new MailSettings("127.0.0.1", mail.getSmtp().getPort(),
                        false, Optional.empty(), Optional.empty(), "qaqpa@gateway.kz")), Optional.of("authority@gov.kz")));
        authority.submit(DirectiveJson.restrict("MAIL-1").domain("mail.kz", true));
    }

    @AfterEach
    void stop() {
        authority.close();
        mail.stop();
    }

    @Test
    void noNoticeGoesToAnUnconfirmedAddressAndNoneCarriesWhatTheAppellantTyped() throws Exception {
        // A phisher's appeal: someone else's address, a resource written to catch the eye, a lure as message.
        JsonObject appeal = new JsonObject().put("kind", "USER").put("personalDataAcknowledged", true)
                .put("personName", "Иван Петров").put("iin", "990740000029")
                .put("email", "ivan@example.kz").put("language", "ru").put("resource", "WWW.Mail.KZ.")
                .put("directiveNumber", "MAIL-1").put("links", new JsonArray().add("https://www.mail.kz/x"))
                .put("message", "Срочно: войдите на http://phish.example/login");
        String number = new JsonObject(authority.as("none", "POST", "/api/v1/appeals", appeal).body()).getString("number");
        authority.as(SigningGateway.ADMIN, "POST", "/api/v1/appeals/" + number + "/decision",
                new JsonObject().put("decision", "REFUSED").put("reasons", "Материал по ссылке доступен."));

        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 1);
        MimeMessage confirmation = mail.getReceivedMessages()[0];
        assertThat(confirmation.getSubject()).isEqualTo("Подтвердите адрес для обращения " + number);
        assertThat(confirmation.getAllRecipients()[0].toString()).isEqualTo("ivan@example.kz");
        assertThat((String) confirmation.getContent()).doesNotContain("WWW.Mail.KZ", "phish", "Иван");
        // The registration and the decision wait for the address: the sender does not even pick them up.
        AppealNotices notices = new AppealNotices(authority.gateway.database(), WorkingCalendar.shipped(), Clock.systemUTC());
        assertThat(notices.due(100)).extracting(AppealNotices.Notice::subject)
                .noneMatch(subject -> subject.contains(number));
        assertThat(appellant(number).getBoolean("emailConfirmed")).isFalse();

        HttpResponse<String> confirmed = TestGateways.send(authority.gateway, "GET", ConfirmationMail.link(confirmation));
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(appellant(number).getBoolean("emailConfirmed")).isTrue();

        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 3);
        MimeMessage registered = mail.getReceivedMessages()[1];
        assertThat(registered.getSubject()).isEqualTo("Обращение " + number + " зарегистрировано");
        assertThat((String) registered.getContent()).contains("mail.kz", "MAIL-1", "включительно (23:59 UTC+5)")
                .doesNotContain("WWW.Mail.KZ", "phish");
        MimeMessage decided = mail.getReceivedMessages()[2];
        assertThat(decided.getSubject()).isEqualTo("Решение по обращению " + number);
        assertThat((String) decided.getContent()).contains("отказано", "Материал по ссылке доступен.");
        assertThat(TestGateways.send(authority.gateway, "GET", "/appeal/confirm/" + number + "?token=guess").statusCode())
                .isEqualTo(404);
    }

    @Test
    void confirmationMailsToOneAddressAreLimitedWhoeverAsks() throws Exception {
        for (int i = 0; i < AppealRegister.CONFIRMATIONS_PER_ADDRESS + 2; i++) {
            JsonObject appeal = new JsonObject().put("kind", "USER").put("personalDataAcknowledged", true).put("personName", "Иван Петров")
                    .put("iin", "990740000029").put("email", "victim@example.kz").put("language", "kk")
                    .put("resource", "mail.kz").put("directiveNumber", "MAIL-1")
                    .put("links", new JsonArray().add("https://mail.kz/" + i));
            assertThat(authority.as("none", "POST", "/api/v1/appeals", appeal).statusCode()).isEqualTo(201);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length
                == AppealRegister.CONFIRMATIONS_PER_ADDRESS);
        try (Connection db = authority.gateway.database().dataSource().getConnection();
             ResultSet rows = db.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM appeal_notice WHERE recipient = 'victim@example.kz' AND kind = 'CONFIRM'")) {
            rows.next();
            assertThat(rows.getInt(1)).as("every appeal registered, only three mails queued")
                    .isEqualTo(AppealRegister.CONFIRMATIONS_PER_ADDRESS);
        }
    }

    private JsonObject appellant(String number) throws Exception {
        return new JsonObject(authority.as(SigningGateway.ADMIN, "GET", "/api/v1/appeals/" + number, null).body())
                .getJsonObject("appellant");
    }
}
