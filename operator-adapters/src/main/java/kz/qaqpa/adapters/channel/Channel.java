package kz.qaqpa.adapters.channel;

import kz.qaqpa.adapters.recipient.ChannelSettings;

/**
 * One way of handing a directive to a recipient. An implementation returns only once the recipient
 * has taken the parcel (a 2xx, a completed rename, an accepted message) and throws otherwise; it
 * may be called again for the same parcel, which the recipient recognises by its idempotency key.
 */
public interface Channel {

    void deliver(Parcel parcel, ChannelSettings settings) throws DeliveryException;
}
