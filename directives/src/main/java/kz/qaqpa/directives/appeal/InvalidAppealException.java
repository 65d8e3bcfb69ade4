package kz.qaqpa.directives.appeal;

import java.util.List;

/** An appeal that cannot be registered as submitted; {@link #problems()} names each field and what is wrong. */
public final class InvalidAppealException extends RuntimeException {

    /** What is wrong, and with which field (a JSON Pointer into the submitted form). */
    public record Problem(String pointer, String detail) {
    }

    private final List<Problem> problems;

    public InvalidAppealException(List<Problem> problems) {
        super(problems.stream().map(problem -> problem.pointer() + ": " + problem.detail()).reduce((a, b) -> a + "; " + b)
                .orElse("an invalid appeal"), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
