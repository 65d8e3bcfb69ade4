package kz.qaqpa.gateway.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Whether the gateway should receive traffic: its database answers, its cluster member runs, and
 * it is not shutting down. Checks may block (the database one does); call them off the event loop.
 *
 * <p>Alarms are for people, not load balancers: something the authority must see to (appeals whose
 * deadline waits for calendar data) that is no reason to stop serving. They are named in
 * {@code /health/ready} without making it fail.
 */
public final class Readiness {

    /**
     * Registers {@code qaqpa_ready{check}} (1 while the check passes, 0 while it fails) and
     * {@code qaqpa_alarm{alarm}} (1 while raised): what {@code /health/ready} shows, for alerts.
     * Scraping runs the checks and alarms, so it blocks as they do.
     */
    public void bindMetrics(MeterRegistry metrics) {
        checks.forEach((name, check) -> Gauge.builder("qaqpa_ready", () -> check.getAsBoolean() ? 1 : 0).tag("check", name)
                .description("Whether the gateway's readiness check passes (1) or fails (0)").register(metrics));
        alarms.forEach((name, alarm) -> Gauge.builder("qaqpa_alarm", () -> raised(alarm) ? 1 : 0).tag("alarm", name)
                .description("Whether an alarm for the authority is raised (1) or not (0)").register(metrics));
    }

    private static boolean raised(Explained alarm) {
        try {
            return alarm.why().isPresent();
        } catch (RuntimeException e) {
            return true; // cannot look: as /health/ready, say so
        }
    }

    /** The state of one check, as shown in {@code /health/ready}. */
    public enum State { UP, DOWN }

    /** A check that can say why it fails, for the operator reading {@code /health/ready}. */
    public interface Explained extends BooleanSupplier {

        /** Why the check fails now, or empty while it passes. */
        java.util.Optional<String> why();

        @Override
        default boolean getAsBoolean() {
            return why().isEmpty();
        }
    }

    private final Map<String, BooleanSupplier> checks;
    private final Map<String, Explained> alarms;
    private volatile boolean draining;

    /**
     * @param checks name of each check to the test that it passes
     * @param alarms name of each alarm to what it says while raised
     */
    public Readiness(Map<String, BooleanSupplier> checks, Map<String, Explained> alarms) {
        this.checks = new LinkedHashMap<>(checks);
        this.alarms = new LinkedHashMap<>(alarms);
    }

    /** Every check's state, why the failing ones fail, and what the raised alarms say. */
    public record Report(Map<String, State> states, Map<String, String> reasons, Map<String, String> alarms) {
    }

    /** Runs every check and alarm; blocks while they ask the database. */
    public Report report() {
        return new Report(check(), reasons(), alarms());
    }

    /** What each raised alarm says, by name; empty when none is. Blocks while an alarm asks the database. */
    public Map<String, String> alarms() {
        Map<String, String> raised = new LinkedHashMap<>();
        alarms.forEach((name, alarm) -> {
            try {
                alarm.why().ifPresent(why -> raised.put(name, why));
            } catch (RuntimeException e) {
                // An alarm that cannot look (the database gone) says so; the checks tell why.
                raised.put(name, "cannot be checked: " + e.getMessage());
            }
        });
        return raised;
    }

    /** From now on the gateway reports not ready, so load balancers stop sending it requests. */
    public void drain() {
        draining = true;
    }

    /** Why each failing check that can say so fails, by check name. */
    public Map<String, String> reasons() {
        Map<String, String> reasons = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            if (check instanceof Explained explained) {
                explained.why().ifPresent(why -> reasons.put(name, why));
            }
        });
        return reasons;
    }

    /** Runs every check; blocks while the database check runs. */
    public Map<String, State> check() {
        Map<String, State> states = new LinkedHashMap<>();
        checks.forEach((name, check) -> states.put(name, check.getAsBoolean() ? State.UP : State.DOWN));
        states.put("accepting", draining ? State.DOWN : State.UP);
        return states;
    }
}
