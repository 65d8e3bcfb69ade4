package kz.qaqpa.directives.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * Who did something through the gateway, for the audit log: an official by name (or
 * {@value #AUTOMATION} for the shared admin token, or a recipient's id) and the address the request
 * came from. Every record it makes names both: the name as the record's {@code submittedBy}, which
 * the access log is filtered by, the address at the end of its details.
 */
public record Actor(String name, String address) {

    /** The name the shared admin token acts under: automation, never a person. */
    public static final String AUTOMATION = "automation";

    public Actor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    /** A record of {@code event}, about {@code directiveId} when it concerns one, saying {@code what}. */
    public AuditEntry entry(String event, Optional<Long> directiveId, String what) {
        return new AuditEntry(event, directiveId, Optional.empty(), Optional.empty(), Optional.empty(), name,
                what + " [from " + address + "]");
    }

    public AuditEntry entry(String event, String what) {
        return entry(event, Optional.empty(), what);
    }
}
