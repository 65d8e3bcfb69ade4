package kz.qaqpa.gateway.suspensions;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.adapters.whois.RegistryWhois;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.suspension.SuspensionCases;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.SuspensionSettings;
import kz.qaqpa.gateway.fanout.FanOut;
import kz.qaqpa.gateway.ops.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Domain-name suspension (seed 000 §16–26), started: the cases (opened and ended by the intake's
 * accepting transaction: {@link #cases()} is one of its steps), the registrars found through the
 * registry's WHOIS, and the handlers of the registry, the registrars and the authority.
 *
 * @param cases      the cases and their steps
 * @param registrars which registrar each case is with
 * @param handlers   the HTTP routes
 */
public record Suspensions(SuspensionCases cases, SuspensionRegistrars registrars, SuspensionHandlers handlers) {

    private static final Logger LOG = LoggerFactory.getLogger(Suspensions.class);
    /** How often open cases are looked at for a WHOIS question still to ask. */
    private static final Duration ASK_EVERY = Duration.ofSeconds(5);
    /** How often overdue steps are looked for, to remind the party that owes each. */
    static final Duration REMIND_EVERY = Duration.ofMinutes(1);

    /** Starts asking the registry's WHOIS for new cases; what has to be stopped is pushed on {@code started}. */
    public static Suspensions start(GatewayConfig config, Database database, WorkingCalendar calendar, FanOut fanOut,
                                    Clock clock, MeterRegistry metrics, Deque<AutoCloseable> started) {
        SuspensionCases cases = new SuspensionCases(database, calendar, clock);
        SuspensionSettings settings = config.suspensions();
        SuspensionRegistrars registrars = new SuspensionRegistrars(cases, new RegistryWhois(settings.whoisHost(),
                settings.whoisPort(), settings.whoisMaxBytes(), settings.whoisDeadline()), fanOut.recipients(), database,
                clock);
        SuspensionReminders reminders = new SuspensionReminders(cases, fanOut.recipients(), fanOut.channels());
        ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "suspensions");
            thread.setDaemon(true);
            return thread;
        });
        // New cases are asked about within seconds; an overdue step is looked for every minute.
        rounds.scheduleWithFixedDelay(round("ask the registry's WHOIS", registrars::askPending), 0, ASK_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        rounds.scheduleWithFixedDelay(round("remind of overdue steps", reminders::remindOverdue), REMIND_EVERY.toMillis(),
                REMIND_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        started.push(rounds::shutdownNow);
        Gauge.builder("qaqpa_suspension_steps_overdue", cases::countOverdue)
                .description("Open domain-suspension cases whose next step is past its deadline").register(metrics);
        return new Suspensions(cases, registrars,
                new SuspensionHandlers(cases, registrars, fanOut.recipients(), fanOut.deliveries(), clock));
    }

    private static Runnable round(String what, Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.warn("Suspensions: cannot {}: {}", what, e.getMessage());
            }
        };
    }

    /**
     * The alarm for the authority and the registry: open cases whose registrar is not known — the
     * registry's WHOIS did not answer, or named a registrar no recipient is — so nobody has been
     * told to notify the registrant (§19).
     */
    public Readiness.Explained registrarAlarm() {
        return () -> {
            long waiting = cases.open().stream().filter(c -> c.whois().isPresent() && c.registrar().isEmpty()).count();
            return waiting == 0 ? Optional.empty() : Optional.of(waiting + " domain-suspension cases wait for their"
                    + " registrar: the registry's WHOIS named none that is registered; the registry names it with POST"
                    + " /api/v1/suspensions/{id}/registrar");
        };
    }
}
