package kz.qaqpa.gateway.appeals;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.directives.appeal.Appeal;
import kz.qaqpa.directives.appeal.AppealMonitoring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes each link of an appeal at registration and then daily until the decision (seed 003 §5:
 * the authority monitors the removal for 15 working days), keeping every result as evidence.
 */
public final class AppealProbes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AppealProbes.class);

    private final AppealMonitoring monitoring;
    private final LinkProbe probe;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "qaqpa-appeal-probes");
        thread.setDaemon(true);
        return thread;
    });

    public AppealProbes(AppealMonitoring monitoring, LinkProbe probe) {
        this.monitoring = monitoring;
        this.probe = probe;
    }

    /** Looks for appeals due for their daily probe every {@code every}. */
    public AppealProbes start(Duration every) {
        executor.scheduleWithFixedDelay(this::probeDue, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Probes a newly registered appeal's links soon, off the caller's thread. */
    public void probeSoon(Appeal appeal) {
        executor.execute(() -> probeAll(appeal));
    }

    private void probeDue() {
        try {
            monitoring.dueForProbe().forEach(this::probeAll);
        } catch (RuntimeException e) {
            LOG.warn("Cannot probe the appeals due: {}", e.toString());
        }
    }

    private void probeAll(Appeal appeal) {
        for (String link : appeal.links()) {
            try {
                monitoring.recordProbe(appeal.id(), probe.probe(link));
            } catch (RuntimeException e) {
                LOG.warn("Cannot keep the probe of a link of appeal {}: {}", appeal.number(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        probe.close();
    }
}
