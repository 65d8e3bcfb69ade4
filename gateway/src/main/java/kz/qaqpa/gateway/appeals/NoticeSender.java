package kz.qaqpa.gateway.appeals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.adapters.channel.DeliveryException;
import kz.qaqpa.adapters.channel.SmtpMailer;
import kz.qaqpa.adapters.outbox.Backoff;
import kz.qaqpa.directives.appeal.AppealNotices.Notice;
import kz.qaqpa.directives.appeal.AppealNotices;
import kz.qaqpa.directives.schedule.Schedules;
import kz.qaqpa.gateway.config.AppealSettings.MailSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the queued appeal notices through the mail server, retrying with backoff until it takes
 * them, and queues the authority's deadline reminders (checked hourly).
 */
public final class NoticeSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NoticeSender.class);
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(10), Duration.ofHours(1));
    private static final Duration REMINDERS_EVERY = Duration.ofHours(1);

    private final AppealNotices notices;
    private final SmtpMailer mailer;
    private final MailSettings mail;
    private final SmtpMailer.Server server;
    private final Optional<String> authorityEmail;
    private final ScheduledExecutorService executor = Schedules.daemon("qaqpa-appeal-notices");
    private Instant remindersChecked = Instant.EPOCH;

    public NoticeSender(AppealNotices notices, MailSettings mail, Optional<String> authorityEmail, Duration timeout) {
        this.notices = notices;
        this.mailer = new SmtpMailer(timeout);
        this.mail = mail;
        this.server = new SmtpMailer.Server(mail.host(), mail.port(), mail.tls(), mail.starttls(), mail.user().orElse(null),
                mail.password().orElse(null), null, false);
        this.authorityEmail = authorityEmail;
    }

    public NoticeSender start(Duration poll) {
        executor.scheduleWithFixedDelay(this::tick, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            if (authorityEmail.isPresent() && Instant.now().isAfter(remindersChecked.plus(REMINDERS_EVERY))) {
                notices.queueReminders(authorityEmail.get());
                remindersChecked = Instant.now();
            }
            for (Notice notice : notices.due(50)) {
                send(notice);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot send appeal notices now: {}", e.toString());
        }
    }

    private void send(Notice notice) {
        List<String> to = List.of(notice.recipient());
        try {
            mailer.send(server, mail.from(), to, SmtpMailer.textMessage(mail.from(), to, notice.subject(),
                    "qaqpa-notice-" + notice.id(), notice.body()));
            notices.sent(notice);
        } catch (DeliveryException e) {
            Duration wait = BACKOFF.after(notice.attempts() + 1);
            notices.failed(notice, wait, e.getMessage());
            // The reason is kept with the notice, not logged: it may name the appellant's address.
            LOG.warn("Notice {} not sent; next attempt in {} s", notice.id(), wait.toSeconds());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
