package kz.qaqpa.adapters.channel;

/** A delivery attempt that failed; the message says what the recipient's side answered or did not. */
public final class DeliveryException extends Exception {

    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
