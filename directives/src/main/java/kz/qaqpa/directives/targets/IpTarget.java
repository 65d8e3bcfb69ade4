package kz.qaqpa.directives.targets;

import kz.qaqpa.blocklist.model.TargetKind;

/** One IPv4 or IPv6 address in canonical text form (dotted quad; RFC 5952 for IPv6). */
public record IpTarget(String address) implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.IP;
    }

    @Override
    public String value() {
        return address;
    }
}
