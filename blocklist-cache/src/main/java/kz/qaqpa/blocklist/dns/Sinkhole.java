package kz.qaqpa.blocklist.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Optional;

/**
 * Where restricted names point instead of not existing: with a sinkhole the node answers NOERROR
 * and an A (or AAAA) record of the sinkhole — a page that says why the resource is restricted —
 * and other record types with no data. Without one, restricted names are NXDOMAIN. Either way the
 * answer carries Extended DNS Error 16 naming the directive.
 */
public record Sinkhole(Optional<Inet4Address> ipv4, Optional<Inet6Address> ipv6) {

    public static Sinkhole none() {
        return new Sinkhole(Optional.empty(), Optional.empty());
    }

    public boolean isSet() {
        return ipv4.isPresent() || ipv6.isPresent();
    }
}
