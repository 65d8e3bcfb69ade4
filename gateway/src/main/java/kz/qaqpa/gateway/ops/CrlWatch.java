package kz.qaqpa.gateway.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kz.qaqpa.directives.schedule.Schedules;
import kz.qaqpa.directives.signature.RevocationLists;

/**
 * Keeps the gateway's CRLs current: looks at their files every {@value #LOOK_SECONDS} s and reads
 * those that changed, and as a readiness check fails — naming the CRL — while one is past its
 * {@code nextUpdate} by more than {@code crl-grace}: a certificate revoked since could still sign.
 */
public final class CrlWatch implements Readiness.Explained, AutoCloseable {

    static final long LOOK_SECONDS = 10;

    private final RevocationLists crls;
    private final Duration grace;
    private final Clock clock;
    private final ScheduledExecutorService executor = Schedules.daemon("qaqpa-crl-watch");

    public CrlWatch(RevocationLists crls, Duration grace, Clock clock) {
        this.crls = crls;
        this.grace = grace;
        this.clock = clock;
    }

    /**
     * Registers {@code qaqpa_crl_next_update_timestamp_seconds}: when the first of the CRLs falls due
     * (Unix seconds; NaN without CRLs), so that an alert can warn before readiness fails on it.
     */
    public CrlWatch bindMetrics(MeterRegistry metrics) {
        Gauge.builder("qaqpa_crl_next_update_timestamp_seconds",
                        () -> crls.nextDue().map(due -> due.toEpochMilli() / 1e3).orElse(Double.NaN))
                .description("When the first CRL the gateway checks signatures against falls due (Unix seconds)")
                .register(metrics);
        return this;
    }

    public CrlWatch start() {
        executor.scheduleWithFixedDelay(crls::reloadIfChanged, LOOK_SECONDS, LOOK_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    @Override
    public Optional<String> why() {
        List<String> stale = crls.stale(clock.instant(), grace);
        return stale.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", stale) + " (crl-grace " + grace + ")");
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
