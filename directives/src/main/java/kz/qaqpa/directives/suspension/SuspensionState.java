package kz.qaqpa.directives.suspension;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a domain name's suspension stands (seed 000 §16–26), and the one place its moves are written:
 *
 * <pre>
 * REQUESTED ─registry: §18─▶ SUSPENDED ─registrar: §19─▶ REGISTRANT_NOTIFIED ─registrant, via the registry: §21─▶ REMEDY_REPORTED ─registry: §22─▶ RESTORED
 *                               └──────────────────────────────┴─registry, the remedy period over or a court's decision: §23 3), 4), §26─▶ TERMINATED
 * any open state ─a RESTORE cancelling the directive─▶ ENDED
 * </pre>
 *
 * Each step after REQUESTED is one party's, with a deadline in working days from the step before:
 * the registry suspends within 1 (§18), the registrar tells the registrant within 1 of the
 * registry's notice (§19), the registrant remedies within 10 of that (or the court's term), the
 * registry restores within 1 of the remedy's report (§22). Stored by name in {@code suspension_case.state}.
 */
public enum SuspensionState {
    REQUESTED(null, 0),
    SUSPENDED(Party.REGISTRY, 1),
    REGISTRANT_NOTIFIED(Party.REGISTRAR, 1),
    REMEDY_REPORTED(Party.REGISTRY, 10),
    RESTORED(Party.REGISTRY, 1),
    /** No term of its own in the seeds; read here as the working day after the remedy period ends. */
    TERMINATED(Party.REGISTRY, 1),
    ENDED(null, 0);

    /** Who acknowledges a step. */
    public enum Party { REGISTRY, REGISTRAR }

    private final Party party;
    private final int workingDays;

    SuspensionState(Party party, int workingDays) {
        this.party = party;
        this.workingDays = workingDays;
    }

    /** The party whose acknowledgement moves a case here; empty for the gateway's own moves. */
    public Optional<Party> party() {
        return Optional.ofNullable(party);
    }

    /** The working days the party has, from the step before. */
    int workingDays() {
        return workingDays;
    }

    public boolean open() {
        return this != RESTORED && this != TERMINATED && this != ENDED;
    }

    /** Whether a case here may move to {@code next}. */
    public boolean mayMoveTo(SuspensionState next) {
        return switch (this) {
            case REQUESTED -> next == SUSPENDED || next == ENDED;
            case SUSPENDED -> next == REGISTRANT_NOTIFIED || next == TERMINATED || next == ENDED;
            case REGISTRANT_NOTIFIED -> next == REMEDY_REPORTED || next == TERMINATED || next == ENDED;
            case REMEDY_REPORTED -> next == RESTORED || next == ENDED;
            case RESTORED, TERMINATED, ENDED -> false;
        };
    }

    /** The step that is due next from here, when the remedy is in time: the way the Rules expect it to go. */
    public Optional<SuspensionState> expected() {
        return switch (this) {
            case REQUESTED -> Optional.of(SUSPENDED);
            case SUSPENDED -> Optional.of(REGISTRANT_NOTIFIED);
            case REGISTRANT_NOTIFIED -> Optional.of(REMEDY_REPORTED);
            case REMEDY_REPORTED -> Optional.of(RESTORED);
            case RESTORED, TERMINATED, ENDED -> Optional.empty();
        };
    }

    /** The open states as an SQL list. */
    static String sqlOpen() {
        return Arrays.stream(values()).filter(SuspensionState::open)
                .map(state -> "'" + state.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    }

    /** The states a case may move to {@code next} from, as an SQL list. */
    static String sqlFrom(SuspensionState next) {
        return Arrays.stream(values()).filter(state -> state.mayMoveTo(next))
                .map(state -> "'" + state.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    }
}
