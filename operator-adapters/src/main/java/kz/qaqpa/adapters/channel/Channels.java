package kz.qaqpa.adapters.channel;

import java.util.EnumMap;
import java.util.Map;
import kz.qaqpa.adapters.recipient.ChannelKind;

/** The channel for each kind of recipient. */
public final class Channels {

    private final Map<ChannelKind, Channel> byKind = new EnumMap<>(ChannelKind.class);

    public Channels with(ChannelKind kind, Channel channel) {
        byKind.put(kind, channel);
        return this;
    }

    /** The channel for {@code kind}; PULL_ONLY and unconfigured kinds have one that always fails. */
    public Channel of(ChannelKind kind) {
        return byKind.getOrDefault(kind, (parcel, settings) -> {
            throw new DeliveryException("no " + kind + " channel is configured on this gateway");
        });
    }
}
