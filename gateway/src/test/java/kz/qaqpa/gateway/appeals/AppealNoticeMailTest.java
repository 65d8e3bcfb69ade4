package kz.qaqpa.gateway.appeals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
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
    void registrationAndDecisionAreMailedInRussianToTheAppellant() throws Exception {
        JsonObject appeal = new JsonObject().put("kind", "USER").put("personName", "Иван Петров").put("iin", "990740000029")
                .put("email", "ivan@example.kz").put("language", "ru").put("resource", "www.mail.kz")
                .put("directiveNumber", "MAIL-1").put("links", new JsonArray().add("https://www.mail.kz/x"));
        String number = new JsonObject(authority.as("none", "POST", "/api/v1/appeals", appeal).body()).getString("number");

        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 1);
        MimeMessage registered = mail.getReceivedMessages()[0];
        assertThat(registered.getSubject()).isEqualTo("Обращение " + number + " зарегистрировано");
        assertThat(registered.getAllRecipients()[0].toString()).isEqualTo("ivan@example.kz");
        assertThat((String) registered.getContent()).contains("www.mail.kz", "MAIL-1", "(UTC+5)");

        authority.as(SigningGateway.ADMIN, "POST", "/api/v1/appeals/" + number + "/decision",
                new JsonObject().put("decision", "REFUSED").put("reasons", "Материал по ссылке доступен."));

        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 2);
        MimeMessage decided = mail.getReceivedMessages()[1];
        assertThat(decided.getSubject()).isEqualTo("Решение по обращению " + number);
        assertThat((String) decided.getContent()).contains("отказано", "Материал по ссылке доступен.");
    }
}
