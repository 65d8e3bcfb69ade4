package kz.qaqpa.adapters.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.adapters.channel.Channels;
import kz.qaqpa.adapters.channel.DeliveryException;
import kz.qaqpa.adapters.outbox.DeliveryStore.Addressed;
import kz.qaqpa.adapters.outbox.DeliveryStore.Due;
import kz.qaqpa.directives.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the outbox's deliveries: at least once, in order per recipient, never lost.
 *
 * <p>Every {@code poll} it asks the outbox for the due head of each recipient's queue, takes each
 * with a lease, and hands it to a worker: one delivery per recipient under way at a time, several
 * recipients in parallel. Success marks it DELIVERED. Failure schedules the next attempt after an
 * exponential backoff with jitter, until the delivery is older than {@code deadAfter}: then it is
 * DEAD, logged and counted ({@code qaqpa_deliveries_dead_total}). Everything it knows is in the
 * database, so a restarted dispatcher — or another gateway's — goes on where this one stopped; an
 * attempt cut off half-way is made again once its lease ends, under the same idempotency key.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int BATCH = 256;

    private final DeliveryStore store;
    private final Channels channels;
    private final Clock clock;
    private final DispatchSettings settings;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller;
    private final ExecutorService workers;
    private final Counter delivered;
    private final Counter failed;
    private final Counter dead;

    public Dispatcher(DeliveryStore store, Channels channels, Clock clock, DispatchSettings settings, MeterRegistry metrics) {
        this.store = store;
        this.channels = channels;
        this.clock = clock;
        this.settings = settings;
        this.poller = Schedules.daemon("qaqpa-dispatcher");
        this.workers = Executors.newFixedThreadPool(settings.workers(), Schedules.daemonThreads("qaqpa-delivery"));
        this.delivered = Counter.builder("qaqpa_deliveries_delivered").description("Deliveries made").register(metrics);
        this.failed = Counter.builder("qaqpa_delivery_attempts_failed").description("Failed delivery attempts").register(metrics);
        this.dead = Counter.builder("qaqpa_deliveries_dead").description("Deliveries given up").register(metrics);
        // Counted when scraped, not on every poll.
        Gauge.builder("qaqpa_deliveries_queued", () -> {
            try {
                return store.countQueued();
            } catch (Exception e) {
                return Double.NaN;
            }
        }).description("Deliveries waiting").register(metrics);
    }

    public Dispatcher start() {
        poller.scheduleWithFixedDelay(this::poll, 0, settings.poll().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void poll() {
        try {
            Instant now = clock.instant();
            for (Due due : store.due(now, BATCH)) {
                if (busy.contains(due.recipientId())) {
                    continue;
                }
                if (store.take(due, now, now.plus(settings.lease()))) {
                    busy.add(due.recipientId());
                    workers.execute(() -> attempt(due));
                }
            }
        } catch (Exception e) {
            LOG.warn("Cannot read the outbox, will retry: {}", e.toString());
        }
    }

    private void attempt(Due due) {
        boolean made = false;
        try {
            Optional<Addressed> addressed = store.parcel(due.id());
            if (addressed.isEmpty()) {
                return;
            }
            try {
                var parcel = addressed.get().parcel();
                var recipient = addressed.get().recipient();
                channels.of(recipient.settings().kind()).deliver(parcel, recipient.settings());
                store.delivered(due.id(), clock.instant());
                made = true;
                delivered.increment();
                LOG.info("Delivered {} {} to {} (attempt {})", parcel.action(), parcel.directiveNumber(),
                        recipient.id(), due.attempts() + 1);
            } catch (DeliveryException | RuntimeException e) {
                failed(due, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        } catch (Exception e) {
            // The outcome could not be recorded; the lease runs out and the delivery is tried again.
            LOG.warn("Delivery {}: cannot record the outcome ({}); it will be tried again", due.id(), e.toString());
        } finally {
            busy.remove(due.recipientId());
        }
        if (made) {
            pollNow(); // the recipient's next delivery is due now: a queue drains at the recipient's pace, not one per poll
        }
    }

    private void pollNow() {
        try {
            poller.execute(this::poll);
        } catch (RejectedExecutionException closing) {
            // the dispatcher is closing
        }
    }

    private void failed(Due due, String error) throws Exception {
        failed.increment();
        Instant now = clock.instant();
        if (!now.isBefore(due.createdAt().plus(settings.deadAfter()))) {
            store.dead(due.id(), error);
            dead.increment();
            LOG.error("Delivery {} to {} is DEAD after {} attempts over {}: {}", due.id(), due.recipientId(),
                    due.attempts() + 1, Duration.between(due.createdAt(), now), error);
            return;
        }
        Duration wait = settings.backoff().after(due.attempts() + 1);
        store.retryAt(due.id(), now.plus(wait), error);
        LOG.warn("Delivery {} to {} failed (attempt {}): {}; next attempt in {} ms", due.id(), due.recipientId(),
                due.attempts() + 1, error, wait.toMillis());
    }

    /** Stops taking deliveries and waits briefly for those under way. */
    @Override
    public void close() {
        poller.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
