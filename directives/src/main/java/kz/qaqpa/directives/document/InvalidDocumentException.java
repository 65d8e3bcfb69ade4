package kz.qaqpa.directives.document;

import java.util.List;

/** A submitted document that cannot be accepted; says why, every reason at once where it can. */
public final class InvalidDocumentException extends RuntimeException {

    /** Why, broadly: each is answered with its own problem type. */
    public enum Kind {
        /** Not JSON, not UTF-8, duplicate keys, nested too deeply. */
        MALFORMED,
        /** Valid JSON that breaks the schema: missing, unknown or wrong fields. */
        INVALID,
        /** The schema holds, but one or more targets cannot be normalised. */
        INVALID_TARGET,
        /** More targets than one directive may carry. */
        TOO_MANY_TARGETS,
        /** A target that would restrict far more than one resource, not acknowledged ({@code CollateralGuard}). */
        COLLATERAL
    }

    private final Kind kind;
    private final List<Violation> violations;

    public InvalidDocumentException(Kind kind, List<Violation> violations) {
        super(summary(violations), null, false, false);
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    public Kind kind() {
        return kind;
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String summary(List<Violation> violations) {
        Violation first = violations.get(0);
        String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "";
        return (first.pointer().isEmpty() ? "" : first.pointer() + ": ") + first.detail() + more;
    }
}
