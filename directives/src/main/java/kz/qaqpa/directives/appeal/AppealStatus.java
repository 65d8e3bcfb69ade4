package kz.qaqpa.directives.appeal;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a restoration appeal stands (seed 003), and the one place its moves are written:
 *
 * <pre>
 * NEEDS_MATCHING ─the authority links a directive─▶ REGISTERED
 *      └──────────────refusal───────────────────────────────────────────────────▶ REFUSED
 * REGISTERED ─first probe─▶ MONITORING ─decision─▶ REMOVAL_CONFIRMED ─RESTORE acknowledged everywhere─▶ RESTORED
 *      └──────────────decision──────────────────▶ REFUSED
 * </pre>
 *
 * An appeal whose directive number or resource matches no directive in force is registered all the
 * same (seed 003 §3, §5), as NEEDS_MATCHING: its deadline runs from registration like any other.
 *
 * Stored by name in {@code appeal.status} (the schema's check constraint lists the same names).
 */
public enum AppealStatus {
    NEEDS_MATCHING,
    REGISTERED,
    MONITORING,
    REMOVAL_CONFIRMED,
    REFUSED,
    RESTORED;

    /** Undecided: the monitoring runs, its deadline counts, findings and a decision may come. */
    public boolean undecided() {
        return this == NEEDS_MATCHING || this == REGISTERED || this == MONITORING;
    }

    /** The removal is confirmed: the restoration order may be drafted. */
    public boolean removalConfirmed() {
        return this == REMOVAL_CONFIRMED || this == RESTORED;
    }

    /** Whether an appeal in this state may move to {@code next}. */
    public boolean mayMoveTo(AppealStatus next) {
        return switch (this) {
            case NEEDS_MATCHING -> next == REGISTERED || next == REFUSED;
            case REGISTERED -> next == MONITORING || next == REMOVAL_CONFIRMED || next == REFUSED;
            case MONITORING -> next == REMOVAL_CONFIRMED || next == REFUSED;
            case REMOVAL_CONFIRMED -> next == RESTORED;
            case REFUSED, RESTORED -> false;
        };
    }

    /** The states an appeal may move to {@code next} from, as an SQL list: {@code ('REGISTERED', 'MONITORING')}. */
    static String sqlFrom(AppealStatus next) {
        return Arrays.stream(values()).filter(status -> status.mayMoveTo(next))
                .map(status -> "'" + status.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    }

    /** The undecided states as an SQL list. */
    public static String sqlUndecided() {
        return Arrays.stream(values()).filter(AppealStatus::undecided)
                .map(status -> "'" + status.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    }
}
