package kz.qaqpa.gateway.appeals;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which addresses a probe may connect to: public unicast only. A link in an appeal is written by
 * anyone, so without this the gateway would fetch its own loopback services, the cloud's metadata
 * endpoint or the operator's internal network on the appellant's behalf (SSRF). Each address is
 * judged after resolution and before connecting, and the probe then connects to exactly that
 * address, so a name cannot resolve to something else between the check and the connection.
 * IPv4 addresses inside IPv6 (mapped, NAT64, 6to4) are judged as the IPv4 address they carry.
 */
final class ProbeDestinations {

    /** Refused networks, each with the reason kept as evidence; the first that matches is named. */
    private static final Map<IPAddress, String> REFUSED = new LinkedHashMap<>();

    static {
        refuse("loopback address", "127.0.0.0/8", "::1/128");
        refuse("unspecified address", "0.0.0.0/8", "::/128");
        refuse("metadata address", "169.254.169.254/32", "fd00:ec2::254/128");
        refuse("private address", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7");
        refuse("shared address space (CGNAT)", "100.64.0.0/10");
        refuse("link-local address", "169.254.0.0/16", "fe80::/10");
        refuse("multicast address", "224.0.0.0/4", "ff00::/8");
        refuse("reserved address", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24",
                "203.0.113.0/24", "240.0.0.0/4", "100::/64", "2001:db8::/32", "2001::/23", "fec0::/10");
    }

    private final List<IPAddress> allowed = new ArrayList<>();

    /** @param allowedNetworks networks reachable although not public (probe-allow-networks) */
    ProbeDestinations(List<String> allowedNetworks) {
        for (String network : allowedNetworks) {
            allowed.add(new IPAddressString(network).getAddress());
        }
    }

    /** Why a probe may not connect to {@code address} ("loopback address ::1"), or empty when it may. */
    Optional<String> refusal(InetAddress address) {
        IPAddress ip = new IPAddressString(address.getHostAddress()).getAddress();
        for (IPAddress network : allowed) {
            if (network.contains(ip)) {
                return Optional.empty();
            }
        }
        Optional<String> reason = refusedAs(ip);
        return (reason.isPresent() ? reason : embeddedIpv4(ip).flatMap(ProbeDestinations::refusedAs))
                .map(why -> why + " " + ip.toCanonicalString());
    }

    private static Optional<String> refusedAs(IPAddress ip) {
        for (Map.Entry<IPAddress, String> refused : REFUSED.entrySet()) {
            if (refused.getKey().contains(ip)) {
                return Optional.of(refused.getValue());
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address an IPv6 address carries: mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96), 6to4 (2002::/16). */
    private static Optional<IPAddress> embeddedIpv4(IPAddress ip) {
        if (!ip.isIPv6()) {
            return Optional.empty();
        }
        var v6 = ip.toIPv6();
        if (v6.isIPv4Mapped() || v6.isIPv4Compatible()) {
            return Optional.of(v6.getEmbeddedIPv4Address());
        }
        if (new IPAddressString("64:ff9b::/96").getAddress().contains(ip)) {
            return Optional.of(v6.getEmbeddedIPv4Address());
        }
        if (v6.is6To4()) {
            return Optional.of(v6.get6To4IPv4Address());
        }
        return Optional.empty();
    }

    private static void refuse(String reason, String... networks) {
        for (String network : networks) {
            REFUSED.put(new IPAddressString(network).getAddress(), reason);
        }
    }
}
