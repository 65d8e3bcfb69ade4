package kz.qaqpa.adapters.channel;

import kz.qaqpa.adapters.recipient.ChannelSettings;

/**
 * One way of handing a directive to a recipient. An implementation returns only once the recipient
 * has taken the parcel (a 2xx, a completed rename, an accepted message) and throws otherwise; it
 * may be called again for the same parcel, which the recipient recognises by its idempotency key.
 */
public interface Channel {

    void deliver(Parcel parcel, ChannelSettings settings) throws DeliveryException;

    /**
     * Sends a reminder the same way, returning once the recipient took it; a channel that has no
     * way to push one (FTP, pull only) refuses, and the recipient reads what it owes in the API.
     */
    default void remind(Reminder reminder, ChannelSettings settings) throws DeliveryException {
        throw new DeliveryException("no reminder is sent over " + settings.kind() + "; the recipient reads it in the API");
    }
}
