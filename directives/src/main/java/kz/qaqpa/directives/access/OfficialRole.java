package kz.qaqpa.directives.access;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an official of the authorised body may do; an official has one or more. The shared admin
 * token, which is for automation, has every role.
 */
public enum OfficialRole {
    /** Submits directives and follows their fate: deliveries, acknowledgements, nodes, suspensions. */
    ISSUER,
    /** Examines restoration appeals: the appellant's data and evidence, findings, decisions, orders. */
    REVIEWER,
    /** Keeps the register of recipients: operators, the State Technical Service, the registry, registrars. */
    RECIPIENT_REGISTRAR,
    /** Reads everything, changes nothing; the only role that reads the audit log. */
    AUDITOR,
    /** Keeps the officials' accounts, the filtering nodes' keys and the calendar. */
    ADMINISTRATOR;

    /** The roles in their column form, {@code REVIEWER,AUDITOR}. */
    public static String column(Set<OfficialRole> roles) {
        return roles.stream().sorted().map(Enum::name).collect(Collectors.joining(","));
    }

    /** Roles from their column form; an unknown name is an {@link IllegalArgumentException}. */
    public static Set<OfficialRole> parse(String column) {
        Set<OfficialRole> roles = EnumSet.noneOf(OfficialRole.class);
        for (String name : column.split(",")) {
            if (!name.isBlank()) {
                roles.add(named(name.strip()));
            }
        }
        return roles;
    }

    /** The role of this name, or an {@link IllegalArgumentException} listing the roles there are. */
    public static OfficialRole named(String name) {
        return Arrays.stream(values()).filter(role -> role.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no role '" + name + "'; the roles are "
                        + Arrays.toString(values())));
    }
}
