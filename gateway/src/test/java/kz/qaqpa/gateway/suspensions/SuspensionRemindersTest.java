package kz.qaqpa.gateway.suspensions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kz.qaqpa.adapters.channel.Channels;
import kz.qaqpa.adapters.channel.EmailChannel;
import kz.qaqpa.adapters.channel.WebhookChannel;
import kz.qaqpa.adapters.outbox.Outbox;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.adapters.recipient.SecretBox;
import kz.qaqpa.directives.ManualClock;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.directives.intake.AcceptanceStep;
import kz.qaqpa.directives.intake.DirectiveIntake;
import kz.qaqpa.directives.intake.Submission;
import kz.qaqpa.directives.intake.TestIntakes;
import kz.qaqpa.directives.signature.DirectiveKind;
import kz.qaqpa.directives.signature.DocumentSigner;
import kz.qaqpa.directives.signature.OpenSslPki;
import kz.qaqpa.directives.signature.OpenSslPki.Encoding;
import kz.qaqpa.directives.signature.OpenSslPki.KeyType;
import kz.qaqpa.directives.signature.OpenSslPki.Signer;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.ThrowAwayDatabase;
import kz.qaqpa.directives.suspension.SuspensionCases;
import kz.qaqpa.directives.suspension.SuspensionState;
import kz.qaqpa.directives.suspension.SuspensionState.Party;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000 §18–19 on a manual clock: a request on Friday 11 December 2026, the registry reminded
 * over its webhook (WireMock) once its Monday passed, the registrar by e-mail (GreenMail) once its
 * day — Thursday, Wednesday 16 December being Independence Day — passed; each once, a failed
 * reminder tried again.
 */
class SuspensionRemindersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ThrowAwayDatabase throwAway;
    private Database database;
    private Vertx vertx;
    private WebhookChannel webhook;
    private WireMockServer registry;
    private GreenMail mail;
    private ManualClock clock;
    private SuspensionCases cases;
    private SuspensionReminders reminders;
    private DirectiveIntake intake;
    private OpenSslPki pki;
    private Signer security;

    @BeforeEach
    void start() throws Exception {
        registry = new WireMockServer(options().dynamicPort());
        registry.start();
        registry.stubFor(post("/kaznic").willReturn(aResponse().withStatus(200)));
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        throwAway = ThrowAwayDatabase.h2();
        database = Database.open(throwAway.settings(), new SimpleMeterRegistry());
        clock = new ManualClock(Instant.parse("2026-12-11T05:00:00Z")); // Friday, 10:00 in Almaty
        pki = OpenSslPki.create(dir.resolve("pki"), "Reminder Test CA");
        security = pki.issue("security", KeyType.EC_P256);
        Signer gateway = pki.issue("gateway", KeyType.EC_P256);
        cases = new SuspensionCases(database, WorkingCalendar.shipped(), clock);
        intake = TestIntakes.trusting(database, pki, security, clock, AcceptanceStep.all(new Outbox(clock), cases),
                Set.of(DirectiveKind.DOMAIN_SUSPENSION));
        RecipientStore recipients = new RecipientStore(database.dataSource(), clock, SecretBox.ephemeral());
        recipients.register("kaznic", "KazNIC", "990740000029", Role.REGISTRY, ChannelKind.WEBHOOK,
                JSON.readTree("{\"url\": \"" + registry.baseUrl() + "/kaznic\"}"));
        recipients.register("hoster", "HOSTER.KZ", "990740000029", Role.REGISTRAR, ChannelKind.EMAIL,
                JSON.readTree("{\"host\": \"127.0.0.1\", \"port\": " + mail.getSmtp().getPort()
                        + ", \"from\": \"qaqpa@gateway.kz\", \"to\": [\"abuse@hoster.kz\"]}"));
        vertx = Vertx.vertx();
        webhook = new WebhookChannel(vertx, DocumentSigner.load(gateway.key(), Optional.of(gateway.certificate()),
                Optional.empty()), Duration.ofSeconds(5));
        reminders = new SuspensionReminders(cases, recipients, new Channels().with(ChannelKind.WEBHOOK, webhook)
                .with(ChannelKind.EMAIL, new EmailChannel(Duration.ofSeconds(5))));
    }

    @AfterEach
    void stop() throws Exception {
        webhook.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        database.close();
        throwAway.close();
        mail.stop();
        registry.stop();
    }

    @Test
    void thePartyThatOwesAnOverdueStepIsRemindedOnceOverItsOwnChannel() throws Exception {
        intake.submit(new Submission(pki.signAttached(security, DirectiveJson.restrict("IS-1").domain("phishing.kz", false)
                .suspension("PHISHING").bytes(), Encoding.DER), Optional.empty(), "test"));
        long id = cases.open().get(0).id();
        cases.nameRegistrar(id, "hoster", "kaznic");

        reminders.remindOverdue();
        clock.set(Instant.parse("2026-12-14T18:59:00Z")); // Monday 23:59 in Almaty: the registry's day is not over
        reminders.remindOverdue();
        assertThat(reminded()).isEmpty();

        // Tuesday: the registry's step (§18) is overdue; its webhook is down at first, then up.
        clock.set(Instant.parse("2026-12-14T19:30:00Z"));
        registry.stubFor(post("/kaznic").willReturn(aResponse().withStatus(503)));
        reminders.remindOverdue();
        assertThat(cases.find(id).orElseThrow().reminders()).as("a failed reminder is not counted").isEmpty();
        registry.stubFor(post("/kaznic").willReturn(aResponse().withStatus(200)));
        reminders.remindOverdue();
        reminders.remindOverdue();
        List<LoggedRequest> posted = reminded();
        assertThat(posted).hasSize(2); // the failed one, and the one taken; not a third
        LoggedRequest taken = posted.get(1);
        assertThat(taken.getHeader(WebhookChannel.IDEMPOTENCY_HEADER)).isEqualTo("qaqpa-suspension-" + id + "-suspended");
        assertThat(taken.getHeader(WebhookChannel.SIGNATURE_HEADER)).as("signed by the gateway like a delivery").isNotBlank();
        var json = JSON.readTree(taken.getBodyAsString());
        assertThat(json.get("schema").asText()).isEqualTo("qaqpa.reminder/v1");
        assertThat(json.get("step").asText()).isEqualTo("SUSPENDED");
        assertThat(json.get("party").asText()).isEqualTo("REGISTRY");
        assertThat(json.get("due").asText()).isEqualTo("2026-12-14T23:59:59+05:00");
        assertThat(json.get("ru").asText()).contains("пункт 18", "14.12.2026 23:59 (UTC+5)", "подпункт 7) пункта 16 Правил");
        assertThat(mail.getReceivedMessages()).as("the registrar owes nothing yet").isEmpty();

        // §19: the registrar's day after the registry's notice on Tuesday is Thursday (16 December is a holiday).
        cases.record(id, SuspensionState.SUSPENDED, Party.REGISTRY, "kaznic", clock.instant(), null);
        clock.set(Instant.parse("2026-12-17T12:00:00Z"));
        reminders.remindOverdue();
        assertThat(mail.getReceivedMessages()).isEmpty();
        clock.set(Instant.parse("2026-12-17T19:30:00Z"));
        reminders.remindOverdue();
        reminders.remindOverdue();
        MimeMessage[] mailed = mail.getReceivedMessages();
        assertThat(mailed).hasSize(1);
        assertThat(mailed[0].getAllRecipients()[0].toString()).isEqualTo("abuse@hoster.kz");
        assertThat(mailed[0].getSubject()).isEqualTo("Еске салу: домендік атауды пайдалануды тоқтата тұру ісі № " + id
                + " (phishing.kz) / Напоминание: дело о приостановлении использования доменного имени № " + id + " (phishing.kz)");
        assertThat(new String(mailed[0].getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("19-тармақ", "пункт 19", "17.12.2026 23:59 (UTC+5)");
        assertThat(reminded()).as("the registry owes nothing now").hasSize(2);
        assertThat(cases.find(id).orElseThrow().reminders()).extracting(SuspensionCases.Reminded::recipientId)
                .containsExactly("kaznic", "hoster");
    }

    /** The reminder's texts: the same keys in Kazakh and Russian, none blank. */
    @Test
    void theReminderSaysTheSameInKazakhAndRussian() {
        kz.qaqpa.directives.text.TextsTest.assertSameKeys("kz.qaqpa.gateway.suspensions.reminder", "kk", "ru");
    }

    private List<LoggedRequest> reminded() {
        return registry.findAll(postRequestedFor(urlEqualTo("/kaznic"))).stream()
                .filter(request -> request.getBodyAsString().contains("qaqpa.reminder/v1")).toList();
    }
}
