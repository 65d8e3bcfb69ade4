package kz.qaqpa.gateway.appeals;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.directives.appeal.Appeal;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import kz.qaqpa.directives.schedule.Schedules;
import kz.qaqpa.gateway.config.ProbeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes each link of an appeal at registration and then daily until the decision (seed 003 §5:
 * the authority monitors the removal for 15 working days), keeping every result as evidence.
 *
 * <p>Links wait in one queue and are started as room allows: at most {@code concurrency} probes in
 * flight, {@code perHost} to one host and {@code perAppeal} of one appeal. A probe ends within its
 * deadline, so an appeal whose links drip a byte a second holds {@code perAppeal} slots for at most
 * that long, and the links of the next appeal go out beside it instead of after it.
 */
public final class AppealProbes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AppealProbes.class);

    /** One link of one appeal, waiting to be probed. */
    private record Task(long appealId, String appealNumber, String link, String host) {
    }

    private final AppealMonitoring monitoring;
    private final LinkProbe probe;
    private final ProbeSettings settings;
    /** Reads the due appeals and keeps the results: database work, off the probes' event loop. */
    private final ScheduledExecutorService executor = Schedules.daemon("qaqpa-appeal-probes");
    private final Queue<Task> waiting = new ArrayDeque<>();
    private final Map<String, Integer> inFlightByHost = new HashMap<>();
    private final Map<Long, Integer> inFlightByAppeal = new HashMap<>();
    private int inFlight;

    public AppealProbes(AppealMonitoring monitoring, LinkProbe probe, ProbeSettings settings) {
        this.monitoring = monitoring;
        this.probe = probe;
        this.settings = settings;
    }

    /** Looks for appeals due for their daily probe every {@code every}. */
    public AppealProbes start(Duration every) {
        executor.scheduleWithFixedDelay(this::probeDue, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Queues a newly registered appeal's links, to be probed as soon as there is room. Called on an
     * event loop: which links to check is read from the database on the probes' own thread.
     */
    public void probeSoon(Appeal appeal) {
        executor.execute(() -> {
            try {
                queue(appeal);
            } catch (RuntimeException e) {
                LOG.warn("Cannot probe appeal {} now; its daily probe will: {}", appeal.number(), e.toString());
            }
        });
    }

    private void probeDue() {
        try {
            monitoring.dueForProbe().forEach(this::queue);
        } catch (RuntimeException e) {
            LOG.warn("Cannot probe the appeals due: {}", e.toString());
        }
    }

    private void queue(Appeal appeal) {
        List<String> links = monitoring.linksToCheck(appeal);
        synchronized (this) {
            for (String link : links) {
                waiting.add(new Task(appeal.id(), appeal.number(), link, host(link)));
            }
        }
        startWhatFits();
    }

    /** Starts every waiting probe that the limits allow, oldest first, skipping those that must wait. */
    private void startWhatFits() {
        while (true) {
            Task next = null;
            synchronized (this) {
                for (Iterator<Task> tasks = waiting.iterator(); tasks.hasNext() && inFlight < settings.concurrency(); ) {
                    Task task = tasks.next();
                    if (inFlightByHost.getOrDefault(task.host(), 0) < settings.perHost()
                            && inFlightByAppeal.getOrDefault(task.appealId(), 0) < settings.perAppeal()) {
                        tasks.remove();
                        inFlight++;
                        inFlightByHost.merge(task.host(), 1, Integer::sum);
                        inFlightByAppeal.merge(task.appealId(), 1, Integer::sum);
                        next = task;
                        break;
                    }
                }
            }
            if (next == null) {
                return;
            }
            Task started = next;
            probe.probe(started.link()).onComplete(outcome -> executor.execute(() -> {
                try {
                    monitoring.recordProbe(started.appealId(), outcome.result());
                } catch (RuntimeException e) {
                    LOG.warn("Cannot keep the probe of a link of appeal {}: {}", started.appealNumber(), e.toString());
                } finally {
                    finished(started);
                }
            }));
        }
    }

    private void finished(Task task) {
        synchronized (this) {
            inFlight--;
            inFlightByHost.computeIfPresent(task.host(), (host, count) -> count == 1 ? null : count - 1);
            inFlightByAppeal.computeIfPresent(task.appealId(), (appeal, count) -> count == 1 ? null : count - 1);
        }
        startWhatFits();
    }

    /** The host a link names, for the per-host limit; the link itself when it has none (it will be refused). */
    private static String host(String link) {
        try {
            String host = URI.create(link).getHost();
            return host == null ? link : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return link;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        probe.close();
    }
}
