package kz.qaqpa.adapters.recipient;

/** A recipient id that is taken already. */
public final class RecipientConflictException extends RuntimeException {

    public RecipientConflictException(String message) {
        super(message, null, false, false);
    }
}
