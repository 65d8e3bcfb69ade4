package kz.qaqpa.gateway;

/** The gateway could not start; the message says which part and why, in one line. */
public final class StartupException extends RuntimeException {

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
