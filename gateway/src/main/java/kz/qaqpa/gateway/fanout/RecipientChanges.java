package kz.qaqpa.gateway.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.util.Optional;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.gateway.access.AccessLog;

/**
 * The register of recipients changed by someone — the API's and the console's one way to do it:
 * each change is made in the store and then written to the access log with who made it and from
 * where. Blocking.
 */
public final class RecipientChanges {

    private final RecipientStore recipients;
    private final AccessLog accessLog;

    public RecipientChanges(RecipientStore recipients, AccessLog accessLog) {
        this.recipients = recipients;
        this.accessLog = accessLog;
    }

    public RecipientStore.Registered register(String id, String name, String bin, Role role, ChannelKind channel,
                                              JsonNode settings, Actor by) throws SQLException {
        RecipientStore.Registered registered = recipients.register(id, name, bin, role, channel, settings);
        accessLog.record(by.entry("RECIPIENT_REGISTERED", "recipient " + id + " (" + role + ", " + channel + ") registered"));
        return registered;
    }

    /** The change, named by what it touched; empty when there is no such recipient. */
    public Optional<RecipientStore.Changed> change(String id, RecipientStore.Change change, Actor by) throws SQLException {
        Optional<RecipientStore.Changed> changed = recipients.change(id, change);
        if (changed.isPresent()) {
            StringBuilder what = new StringBuilder();
            change.name().ifPresent(name -> what.append(" name"));
            change.channel().ifPresent(channel -> what.append(" channel ").append(channel));
            change.settings().ifPresent(settings -> what.append(" settings"));
            change.active().ifPresent(active -> what.append(active ? " activated" : " deactivated"));
            if (change.rotateToken()) {
                what.append(" new token");
            }
            accessLog.record(by.entry("RECIPIENT_CHANGED", "recipient " + id + ":" + what));
        }
        return changed;
    }
}
