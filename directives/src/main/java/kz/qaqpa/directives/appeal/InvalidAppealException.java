package kz.qaqpa.directives.appeal;

import java.util.List;

/** An appeal that cannot be registered as submitted; {@link #problems()} names each field and what is wrong. */
public final class InvalidAppealException extends RuntimeException {

    /** What is wrong, and with which field (a JSON Pointer into the submitted form). */
    public record Problem(String pointer, String detail) {
    }

    /** Why: the form itself, or what it says about the directive. */
    public enum Kind { INVALID_FORM, DIRECTIVE_UNKNOWN, DIRECTIVE_NOT_ACTIVE, RESOURCE_NOT_RESTRICTED }

    private final Kind kind;
    private final List<Problem> problems;

    public InvalidAppealException(Kind kind, List<Problem> problems) {
        super(problems.stream().map(problem -> problem.pointer() + ": " + problem.detail()).reduce((a, b) -> a + "; " + b)
                .orElse(kind.name()), null, false, false);
        this.kind = kind;
        this.problems = List.copyOf(problems);
    }

    public Kind kind() {
        return kind;
    }

    public List<Problem> problems() {
        return problems;
    }
}
