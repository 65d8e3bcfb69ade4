package kz.qaqpa.adapters.recipient;

import java.util.List;

/** A recipient's registration that cannot be accepted; {@link #problems()} says why, one line each. */
public final class InvalidRecipientException extends RuntimeException {

    private final List<String> problems;

    public InvalidRecipientException(List<String> problems) {
        super(String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
