package kz.qaqpa.gateway.suspensions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import kz.qaqpa.adapters.channel.Channels;
import kz.qaqpa.adapters.channel.DeliveryException;
import kz.qaqpa.adapters.channel.Reminder;
import kz.qaqpa.adapters.recipient.Recipient;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.suspension.SuspensionCases;
import kz.qaqpa.directives.suspension.SuspensionCases.Case;
import kz.qaqpa.directives.suspension.SuspensionCases.Due;
import kz.qaqpa.directives.suspension.SuspensionState.Party;
import kz.qaqpa.directives.text.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reminds the party that owes an overdue step of a suspension case — the registry, or the case's
 * registrar — over its own channel (a webhook's JSON, a mailbox's text, in Kazakh and Russian),
 * once per case, step and recipient; a recipient no reminder can be pushed to (FTP, pull only)
 * reads the step as overdue in {@code GET /api/v1/suspensions}. A reminder that fails is tried again
 * on the next round.
 */
final class SuspensionReminders {

    private static final Logger LOG = LoggerFactory.getLogger(SuspensionReminders.class);
    private static final String BUNDLE = "kz.qaqpa.gateway.suspensions.reminder";
    private static final Texts KAZAKH = Texts.of(BUNDLE, "kk");
    private static final Texts RUSSIAN = Texts.of(BUNDLE, "ru");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm '(UTC+5)'");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SuspensionCases cases;
    private final RecipientStore recipients;
    private final Channels channels;

    SuspensionReminders(SuspensionCases cases, RecipientStore recipients, Channels channels) {
        this.cases = cases;
        this.recipients = recipients;
        this.channels = channels;
    }

    /** One round: every overdue step's party not reminded of it yet. */
    void remindOverdue() {
        for (Case c : cases.open()) {
            cases.due(c).filter(Due::overdue).ifPresent(due -> {
                for (Recipient party : owing(c, due.party())) {
                    if (c.reminded(due.step(), party.id())) {
                        continue;
                    }
                    try {
                        channels.of(party.settings().kind()).remind(reminder(c, due), party.settings());
                        cases.recordReminder(c.id(), due.step(), party.id());
                        LOG.info("Suspension case {}: {} reminded of {} (due {})", c.id(), party.id(), due.step(), due.due());
                    } catch (DeliveryException e) {
                        LOG.warn("Suspension case {}: cannot remind {} of {}: {}", c.id(), party.id(), due.step(),
                                e.getMessage());
                    }
                }
            });
        }
    }

    /** Who owes it: every active registry, or the case's registrar when it has one and it is active. */
    private List<Recipient> owing(Case c, Party party) {
        try {
            return recipients.list().stream().filter(Recipient::active)
                    .filter(recipient -> party == Party.REGISTRY ? recipient.role() == Role.REGISTRY
                            : recipient.role() == Role.REGISTRAR && c.registrar().map(recipient.id()::equals).orElse(false))
                    .toList();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the recipients: " + e.getMessage(), e);
        }
    }

    static Reminder reminder(Case c, Due due) {
        String when = due.due().atOffset(WorkingCalendar.ALMATY).format(WHEN);
        String kazakh = text(KAZAKH, c, due, when);
        String russian = text(RUSSIAN, c, due, when);
        Map<String, String> subject = Map.of("case", Long.toString(c.id()), "domain", c.domain());
        ObjectNode json = JSON.createObjectNode().put("schema", "qaqpa.reminder/v1").put("case", c.id())
                .put("domain", c.domain()).put("directive", c.directiveNumber()).put("ground", c.ground().name())
                .put("step", due.step().name()).put("party", due.party().name())
                .put("due", WorkingCalendar.almaty(due.due())).put("kk", kazakh).put("ru", russian);
        try {
            return new Reminder("qaqpa-suspension-" + c.id() + "-" + due.step().name().toLowerCase(),
                    KAZAKH.format("subject", subject) + " / " + RUSSIAN.format("subject", subject),
                    kazakh + "\n\n" + russian, JSON.writeValueAsBytes(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Texts texts, Case c, Due due, String when) {
        return texts.format("text", Map.of("case", Long.toString(c.id()), "domain", c.domain(),
                "directive", c.directiveNumber(),
                "ground", texts.format("ground", Map.of("item", Integer.toString(c.ground().ordinal() + 1))),
                "step", texts.get("step." + due.step().name()), "due", when));
    }
}
