package kz.qaqpa.gateway.appeals;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import kz.qaqpa.directives.appeal.AppealNotices;
import kz.qaqpa.directives.appeal.AppealRegister;
import kz.qaqpa.directives.appeal.AppealRetention;
import kz.qaqpa.directives.calendar.WorkingCalendar;
import kz.qaqpa.directives.directive.CourtDecisionRepository;
import kz.qaqpa.directives.directive.DirectiveRepository;
import kz.qaqpa.directives.schedule.Schedules;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.config.GatewayConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restoration appeals, started: the working-day calendar, the register, the monitoring with its
 * link probes (hourly), and the notices, sent when a mail server is configured.
 *
 * @param calendar   the working-day calendar deadlines follow
 * @param register   appeals registered, confirmed and looked up
 * @param monitoring probes, findings, decisions, orders
 * @param probes     the probes of appeals' links, on their own schedule
 */
public record Appeals(WorkingCalendar calendar, AppealRegister register, AppealMonitoring monitoring, AppealProbes probes) {

    private static final Logger LOG = LoggerFactory.getLogger(Appeals.class);

    /**
     * Starts the appeals; what has to be stopped is pushed on {@code started}. Mailed links point at
     * {@code public-url}, or at {@code http://localhost:PORT} with the API's port once it listens.
     */
    public static Appeals start(GatewayConfig config, Database database, Clock clock, MeterRegistry metrics,
                                IntSupplier apiPort, Deque<AutoCloseable> started) {
        WorkingCalendar calendar = calendar(config);
        AppealRegister register = new AppealRegister(database, calendar, clock,
                () -> config.appeals().publicUrl().orElseGet(() -> "http://localhost:" + apiPort.getAsInt()));
        AppealMonitoring monitoring = new AppealMonitoring(database, register, calendar,
                config.appeals().orderWorkingDays(), clock);
        AppealProbes probes = new AppealProbes(monitoring, new LinkProbe(config.appeals().probes(), clock),
                config.appeals().probes()).start(Duration.ofHours(1));
        started.push(probes);
        started.push(retention(new AppealRetention(database, clock), config.retention().keepAppellants()));
        AppealNotices notices = new AppealNotices(database, calendar, clock);
        if (config.appeals().mail().isPresent()) {
            started.push(new NoticeSender(notices, config.appeals().mail().get(), config.appeals().authorityEmail(),
                    config.delivery().timeout()).start(Duration.ofSeconds(1)));
        } else {
            LOG.warn("No smtp-host: appeal notices are queued and not sent");
        }
        Gauge.builder("qaqpa_appeals_overdue", monitoring::countOverdue)
                .description("Appeals undecided after their deadline").register(metrics);
        Gauge.builder("qaqpa_appeal_orders_overdue", monitoring::countOrdersOverdue)
                .description("Appeals whose removal is confirmed and whose restoration order is past due, not issued")
                .register(metrics);
        return new Appeals(calendar, register, monitoring, probes);
    }

    /**
     * Removes the personal data of appeals closed longer ago than {@code keep}: a minute after the
     * start, then daily. A failed run is logged and tried again the next day.
     */
    private static AutoCloseable retention(AppealRetention retention, Duration keep) {
        ScheduledExecutorService executor = Schedules.daemon("qaqpa-appeal-retention");
        executor.scheduleWithFixedDelay(() -> {
            try {
                int depersonalised = retention.depersonalise(keep);
                if (depersonalised > 0) {
                    LOG.info("Personal data of {} appeals closed more than {} ago removed", depersonalised, keep);
                }
            } catch (RuntimeException e) {
                LOG.warn("Closed appeals could not be depersonalised; trying again tomorrow: {}", e.toString());
            }
        }, 1, TimeUnit.DAYS.toMinutes(1), TimeUnit.MINUTES);
        return executor::shutdownNow;
    }

    /** The API's routes of appeals: submission, status, the authority's findings, decisions and orders, the look-up. */
    public AppealHandlers handlers(DirectiveRepository directives, CourtDecisionRepository courtDecisions) {
        return new AppealHandlers(register, monitoring, probes, directives, courtDecisions);
    }

    /** The pages a browser shows: the form, the status, the look-up. */
    public AppealPages pages(DirectiveRepository directives) {
        return new AppealPages(register, monitoring, probes, directives);
    }

    public CalendarHandlers calendarHandlers() {
        return new CalendarHandlers(calendar);
    }

    private static WorkingCalendar calendar(GatewayConfig config) {
        try {
            return config.appeals().calendarFile().map(WorkingCalendar::load).orElseGet(WorkingCalendar::shipped);
        } catch (IllegalArgumentException e) {
            throw new StartupException("cannot start: calendar-file: " + e.getMessage(), e);
        }
    }
}
