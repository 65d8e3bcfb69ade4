package kz.qaqpa.directives.targets;

import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.TargetKind;

/**
 * A domain name in lower-case IDNA A-label form without the trailing dot, alone or with every name
 * below it.
 */
public record DomainTarget(String name, boolean includeSubdomains) implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.DOMAIN;
    }

    @Override
    public String value() {
        return name;
    }

    @Override
    public String key() {
        return BlocklistKey.domain(name, includeSubdomains);
    }
}
