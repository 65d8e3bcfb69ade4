package kz.qaqpa.gateway.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.directives.schedule.Schedules;

/**
 * The gateway's own process as a readiness check: its API event loop must turn, and its heap must
 * not be full of what survives collection. Neither shows in the database or cluster checks, and
 * both are what a hostile peer aims at (a body buffered whole, a task that blocks the loop).
 *
 * <p>Event loop: a beat is posted to the API's event loop every {@value #BEAT_MILLIS} ms from a
 * thread of its own; the time since the last beat ran is the loop's lag. A lag over
 * {@code blockedAfter} makes the check fail, and it keeps failing for {@code recoverAfter} after the
 * loop turns again — a loop that was stuck a moment ago is not yet to be trusted with traffic, and a
 * readiness probe that had to wait for the loop would otherwise see it healthy.
 *
 * <p>Heap: the share of the heap still in use after the last collection, from the collector's own
 * figures (no collection is caused here); over {@code heapLimit} the check fails.
 *
 * <p>Both figures are metrics: {@code qaqpa_event_loop_lag_seconds}, {@code qaqpa_heap_after_gc_ratio}.
 */
public final class ProcessHealth implements AutoCloseable {

    static final long BEAT_MILLIS = 100;

    private final Duration blockedAfter;
    private final Duration recoverAfter;
    private final double heapLimit;
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()).toList();
    private final ScheduledExecutorService watchdog = Schedules.daemon("qaqpa-event-loop-watch");
    private volatile long lastBeat = System.nanoTime();
    private volatile boolean watching;
    private volatile long unhealthyUntil = System.nanoTime();

    public ProcessHealth(Duration blockedAfter, Duration recoverAfter, double heapLimit, MeterRegistry metrics) {
        this.blockedAfter = blockedAfter;
        this.recoverAfter = recoverAfter;
        this.heapLimit = heapLimit;
        Gauge.builder("qaqpa_event_loop_lag_seconds", () -> lagNanos() / 1e9)
                .description("Time since the API's event loop last ran a beat posted to it every 100 ms").register(metrics);
        Gauge.builder("qaqpa_heap_after_gc_ratio", this::heapAfterCollection)
                .description("Share of the heap in use after the last garbage collection").register(metrics);
    }

    /** The production thresholds: a loop stuck 2 s, recovering 10 s after; heap 95 % full after collection. */
    public static ProcessHealth defaults(MeterRegistry metrics) {
        return new ProcessHealth(Duration.ofSeconds(2), Duration.ofSeconds(10), 0.95, metrics);
    }

    /** Starts watching the event loop of {@code context} (the API's). */
    public void watch(Context context) {
        lastBeat = System.nanoTime();
        watching = true;
        watchdog.scheduleAtFixedRate(() -> {
            if (lagNanos() > blockedAfter.toNanos()) {
                unhealthyUntil = System.nanoTime() + recoverAfter.toNanos();
            }
            context.runOnContext(beat -> lastBeat = System.nanoTime());
        }, BEAT_MILLIS, BEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether the API's event loop turns, and has not been stuck within the recovery time. */
    public boolean eventLoopResponsive() {
        return !watching || (lagNanos() <= blockedAfter.toNanos() && System.nanoTime() - unhealthyUntil >= 0);
    }

    /** Whether what survived the last collection leaves room. */
    public boolean heapBelowLimit() {
        return heapAfterCollection() < heapLimit;
    }

    private long lagNanos() {
        return watching ? Math.max(0, System.nanoTime() - lastBeat - TimeUnit.MILLISECONDS.toNanos(BEAT_MILLIS)) : 0;
    }

    private double heapAfterCollection() {
        long used = 0;
        long max = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage afterCollection = pool.getCollectionUsage();
            if (afterCollection != null) {
                used += afterCollection.getUsed();
                max += pool.getUsage().getMax() > 0 ? pool.getUsage().getMax() : 0;
            }
        }
        long ceiling = max > 0 ? max : Runtime.getRuntime().maxMemory();
        return (double) used / ceiling;
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
