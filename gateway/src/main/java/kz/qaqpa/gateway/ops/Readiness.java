package kz.qaqpa.gateway.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Whether the gateway should receive traffic: its database answers, its cluster member runs, and
 * it is not shutting down. Checks may block (the database one does); call them off the event loop.
 */
public final class Readiness {

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
    private volatile boolean draining;

    /** @param checks name of each check (shown to operators) to the test that it passes */
    public Readiness(Map<String, BooleanSupplier> checks) {
        this.checks = new LinkedHashMap<>(checks);
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
