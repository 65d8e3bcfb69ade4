package kz.qaqpa.gateway.blocklist;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.directives.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the change log to its retention window, once an hour: the last {@code keepChanges}
 * changes or the last {@code keepFor}, whichever is longer. Several gateways may prune the same
 * database; the deletes are idempotent.
 */
public final class ChangeLogPruner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeLogPruner.class);
    private static final Duration INTERVAL = Duration.ofHours(1);

    private final ScheduledExecutorService ticker = Schedules.daemon("qaqpa-change-log-pruner");

    public ChangeLogPruner(DataSource dataSource, long keepChanges, Duration keepFor, Clock clock) {
        ticker.scheduleWithFixedDelay(() -> {
            try {
                int pruned = ChangeLog.prune(dataSource, keepChanges, keepFor, clock.instant());
                if (pruned > 0) {
                    LOG.info("Pruned {} change(s) from the blocklist change log", pruned);
                }
            } catch (Exception e) {
                LOG.warn("Pruning the change log failed, will retry: {}", e.toString());
            }
        }, INTERVAL.toMinutes(), INTERVAL.toMinutes(), TimeUnit.MINUTES);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
