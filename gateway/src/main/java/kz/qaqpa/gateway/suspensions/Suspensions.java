package kz.qaqpa.gateway.suspensions;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Deque;
import java.util.Optional;
import kz.qaqpa.adapters.whois.RegistryWhois;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.suspension.SuspensionCases;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.SuspensionSettings;
import kz.qaqpa.gateway.fanout.FanOut;
import kz.qaqpa.gateway.ops.Readiness;

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

    /** Starts asking the registry's WHOIS for new cases; what has to be stopped is pushed on {@code started}. */
    public static Suspensions start(GatewayConfig config, Database database, WorkingCalendar calendar, FanOut fanOut,
                                    Clock clock, MeterRegistry metrics, Deque<AutoCloseable> started) {
        SuspensionCases cases = new SuspensionCases(database, calendar, clock);
        SuspensionSettings settings = config.suspensions();
        SuspensionRegistrars registrars = new SuspensionRegistrars(cases, new RegistryWhois(settings.whoisHost(),
                settings.whoisPort(), settings.whoisMaxBytes(), settings.whoisDeadline()), fanOut.recipients(), database,
                clock).start();
        started.push(registrars);
        Gauge.builder("qaqpa_suspension_steps_overdue", cases::countOverdue)
                .description("Open domain-suspension cases whose next step is past its deadline").register(metrics);
        return new Suspensions(cases, registrars,
                new SuspensionHandlers(cases, registrars, fanOut.recipients(), fanOut.deliveries(), clock));
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
