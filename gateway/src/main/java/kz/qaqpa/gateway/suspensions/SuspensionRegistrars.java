package kz.qaqpa.gateway.suspensions;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import kz.qaqpa.adapters.outbox.Outbox;
import kz.qaqpa.adapters.recipient.Recipient;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.adapters.whois.RegistryWhois;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.suspension.SuspensionCases;
import kz.qaqpa.directives.suspension.SuspensionCases.Case;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which registrar each suspension case is with (seed 000 §17–19). At opening the gateway asks the
 * registry's WHOIS; a registrar registered as a recipient under the name WHOIS gives (its name or
 * its id, in any case) gets the case — the suspension directive is queued to it like any delivery.
 * No answer, or a registrar no recipient is, leaves the case waiting for the registry (or the
 * authority) to name one, and raises the {@code suspension} alarm.
 */
public final class SuspensionRegistrars {

    private static final Logger LOG = LoggerFactory.getLogger(SuspensionRegistrars.class);

    private final SuspensionCases cases;
    private final RegistryWhois whois;
    private final RecipientStore recipients;
    private final Database database;
    private final Outbox outbox;
    private final Clock clock;

    SuspensionRegistrars(SuspensionCases cases, RegistryWhois whois, RecipientStore recipients, Database database,
                         Clock clock) {
        this.cases = cases;
        this.whois = whois;
        this.recipients = recipients;
        this.database = database;
        this.outbox = new Outbox(clock);
        this.clock = clock;
    }

    /** Asks the registry's WHOIS for each open case that has no answer yet, one at a time. */
    void askPending() {
        for (Case c : cases.open()) {
            if (c.whois().isPresent()) {
                continue;
            }
            RegistryWhois.Answer answer = whois.lookup(c.domain());
            Optional<String> registrar = answer.registrar().flatMap(this::registrarRecipient);
            Optional<String> problem = answer.problem().or(() -> answer.registrar()
                    .filter(name -> registrar.isEmpty()).map(name -> "no registrar recipient is registered as " + name));
            cases.recordWhois(c.id(), new SuspensionCases.Whois(clock.instant(), answer.registrar(), answer.created(), problem),
                    registrar);
            registrar.ifPresent(id -> deliver(c.directiveId(), id));
            LOG.info("Suspension case {} ({}): WHOIS {}{}", c.id(), c.domain(), answer.status(),
                    problem.map(text -> " — " + text).orElse(""));
        }
    }

    /**
     * Names the registrar of an open case — the registry's word, or the authority's — and queues the
     * suspension directive to it.
     *
     * @throws SuspensionCases.RefusedStepException when {@code registrarId} is no active registrar
     */
    Case name(long caseId, String registrarId, String by) {
        Recipient registrar;
        try {
            registrar = recipients.find(registrarId).filter(Recipient::active).filter(r -> r.role() == Role.REGISTRAR)
                    .orElseThrow(() -> new SuspensionCases.RefusedStepException(registrarId + " is no active registrar"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the recipients: " + e.getMessage(), e);
        }
        Case named = cases.nameRegistrar(caseId, registrar.id(), by);
        deliver(named.directiveId(), registrar.id());
        return named;
    }

    /** The active registrar recipient registered under the name the registry's WHOIS gives. */
    private Optional<String> registrarRecipient(String whoisName) {
        String wanted = whoisName.strip().toLowerCase(Locale.ROOT);
        try {
            return recipients.list().stream()
                    .filter(recipient -> recipient.active() && recipient.role() == Role.REGISTRAR)
                    .filter(recipient -> recipient.name().strip().toLowerCase(Locale.ROOT).equals(wanted)
                            || recipient.id().toLowerCase(Locale.ROOT).equals(wanted))
                    .map(Recipient::id).findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the recipients: " + e.getMessage(), e);
        }
    }

    private void deliver(long directiveId, String registrarId) {
        database.inTransaction(connection -> {
            try {
                return outbox.addRecipient(connection, directiveId, registrarId);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot queue the suspension to " + registrarId + ": " + e.getMessage(), e);
            }
        });
    }
}
