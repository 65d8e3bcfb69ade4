package kz.qaqpa.directives.access;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** An official's account as the register keeps it (its secrets stay in the register). */
public record Official(String name, String displayName, Set<OfficialRole> roles, boolean disabled,
                       boolean hasPassword, boolean hasToken, Instant createdAt, Optional<Instant> lockedUntil) {

    public Official {
        roles = Set.copyOf(roles);
    }

    public boolean has(OfficialRole role) {
        return roles.contains(role);
    }
}
