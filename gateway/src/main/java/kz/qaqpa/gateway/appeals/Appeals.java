package kz.qaqpa.gateway.appeals;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import kz.qaqpa.directives.appeal.AppealAttachments;
import kz.qaqpa.directives.appeal.AppealDeadlines;
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
import kz.qaqpa.gateway.access.AccessLog;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.ops.Readiness;
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
public record Appeals(WorkingCalendar calendar, AppealRegister register, AppealMonitoring monitoring, AppealProbes probes,
                      AppealDeadlines deadlines, CalendarReload reload, AppealAttachments attachments) {

    private static final Logger LOG = LoggerFactory.getLogger(Appeals.class);
    /** How far ahead the calendar must reach: past any deadline counted from today (15 working days, and holidays). */
    private static final Duration CALENDAR_AHEAD = Duration.ofDays(31);

    /** Reads the calendar's data again and brings the stored deadlines up to it. */
    public interface CalendarReload {
        /**
         * @return each deadline changed
         * @throws IllegalArgumentException when the calendar file does not parse; nothing changes then
         */
        List<AppealDeadlines.Change> reload();
    }

    /**
     * Starts the appeals; what has to be stopped is pushed on {@code started}. Mailed links point at
     * {@code public-url}, or at {@code http://localhost:PORT} with the API's port once it listens.
     */
    public static Appeals start(GatewayConfig config, Database database, Clock clock, MeterRegistry metrics,
                                IntSupplier apiPort, Deque<AutoCloseable> started) {
        WorkingCalendar calendar = calendar(config);
        AppealDeadlines deadlines = new AppealDeadlines(database, calendar, clock);
        // The calendar file may have changed while the gateway was down: deadlines follow it.
        log(deadlines.recompute());
        CalendarReload reload = () -> {
            calendar.replaceWith(load(config));
            List<AppealDeadlines.Change> changes = deadlines.recompute();
            log(changes);
            return changes;
        };
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
        Gauge.builder("qaqpa_appeal_deadlines_pending", deadlines::countPending)
                .description("Undecided appeals whose deadline waits for working-day calendar data of its year")
                .register(metrics);
        return new Appeals(calendar, register, monitoring, probes, deadlines, reload, new AppealAttachments(database, clock));
    }

    /**
     * The alarm for the authority: appeals whose deadline waits for calendar data, or a calendar that
     * ends within {@link #CALENDAR_AHEAD} of today, so that a deadline counted from today could reach
     * a year it lacks.
     */
    public Readiness.Explained calendarAlarm(Clock clock) {
        return () -> {
            long pending = deadlines.countPending();
            if (pending > 0) {
                return Optional.of(pending + " undecided appeals' deadlines wait for working-day calendar data (it has "
                        + calendar.years() + "): add the year to calendar-file and POST /api/v1/calendar/reload");
            }
            int ahead = clock.instant().plus(CALENDAR_AHEAD).atOffset(WorkingCalendar.ALMATY).getYear();
            if (!calendar.years().contains(ahead)) {
                return Optional.of("the working-day calendar has no data for " + ahead + " (it has " + calendar.years()
                        + "): deadlines of appeals registered from now may reach it; add the year to calendar-file");
            }
            return Optional.empty();
        };
    }

    private static void log(List<AppealDeadlines.Change> changes) {
        changes.forEach(change -> LOG.info("Appeal {}: deadline {} → {} (calendar {})", change.appeal(),
                change.previous() == null ? "pending" : change.previous(),
                change.deadline() == null ? "pending" : change.deadline(), change.calendar()));
    }

    /**
     * Removes the personal data of appeals closed longer ago than {@code keep}: a minute after the
     * start, then hourly, so that it goes within the hour its keeping ends. A failed run (the
     * database down, or its one embedded connection held by a bulk intake for longer than a pool
     * waits) is logged and tried again the next hour, not the next day.
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
                LOG.warn("Closed appeals could not be depersonalised; trying again in an hour: {}", e.toString());
            }
        }, 1, TimeUnit.HOURS.toMinutes(1), TimeUnit.MINUTES);
        return executor::shutdownNow;
    }

    /**
     * The API's routes of appeals: submission, status, the authority's findings, decisions and orders,
     * the look-up; {@code addressees} names whom a directive went to, for its restoration order;
     * officials' reads of personal data go to {@code accessLog}.
     */
    public AppealHandlers handlers(DirectiveRepository directives, CourtDecisionRepository courtDecisions,
                                   java.util.function.LongFunction<List<String>> addressees, AccessLog accessLog) {
        return new AppealHandlers(register, monitoring, probes, directives, courtDecisions, deadlines, addressees,
                attachments, accessLog);
    }

    /**
     * The pages a browser shows: the form (saying how long personal data is kept), the status with
     * its way to attach files (waiting in {@code uploads} while read), the look-up.
     */
    public AppealPages pages(DirectiveRepository directives, Duration keepAppellants, java.nio.file.Path uploads) {
        return new AppealPages(register, monitoring, probes, directives, keepAppellants, attachments, uploads);
    }

    public CalendarHandlers calendarHandlers() {
        return new CalendarHandlers(calendar, reload);
    }

    private static WorkingCalendar calendar(GatewayConfig config) {
        try {
            return load(config);
        } catch (IllegalArgumentException e) {
            throw new StartupException("cannot start: calendar-file: " + e.getMessage(), e);
        }
    }

    /** {@code calendar-file}, or the shipped calendar. @throws IllegalArgumentException saying what is wrong */
    private static WorkingCalendar load(GatewayConfig config) {
        return config.appeals().calendarFile().map(WorkingCalendar::load).orElseGet(WorkingCalendar::shipped);
    }
}
