package kz.qaqpa.directives.store;

/** The database could not be reached, opened or migrated. */
public final class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
