package kz.qaqpa.gateway.directives;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.directives.intake.DirectiveExpiry;
import kz.qaqpa.directives.intake.IntakeResult;
import kz.qaqpa.directives.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifts restrictions whose period ended ({@link DirectiveExpiry}) every {@code every}: each a
 * RESTORE the gateway signs, delivered to every recipient. A failed run is logged and tried again
 * at the next; every gateway of a cluster runs it, and one wins each directive.
 */
public final class ExpiryJob {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryJob.class);

    private ExpiryJob() {
    }

    /** Starts the job; closing it stops it. */
    public static AutoCloseable start(DirectiveExpiry expiry, Duration every) {
        ScheduledExecutorService executor = Schedules.daemon("qaqpa-directive-expiry");
        executor.scheduleWithFixedDelay(() -> {
            try {
                for (IntakeResult lifted : expiry.expireDue()) {
                    LOG.info("Directive {} lifted at the end of the period of the directive it cancels: {}",
                            lifted.directive().number(), lifted.effect().map(Object::toString).orElse(""));
                }
            } catch (RuntimeException e) {
                LOG.warn("Restrictions whose period ended could not be lifted; trying again in {}: {}", every, e.toString());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return executor::shutdownNow;
    }
}
