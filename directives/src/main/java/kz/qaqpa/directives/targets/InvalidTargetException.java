package kz.qaqpa.directives.targets;

/** A target that cannot be normalised; the message says why, for the person who wrote it. */
public final class InvalidTargetException extends RuntimeException {

    public InvalidTargetException(String reason) {
        super(reason, null, false, false);
    }
}
