package kz.qaqpa.directives.targets;

import kz.qaqpa.blocklist.model.TargetKind;

/** A network: its address with no host bits set, and its prefix length. */
public record CidrTarget(String network, int prefixLength) implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.CIDR;
    }

    @Override
    public String value() {
        return network + "/" + prefixLength;
    }
}
