package kz.qaqpa.directives.targets;

import com.ibm.icu.text.IDNA;
import com.ibm.icu.util.ICUInputTooLongException;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.qaqpa.blocklist.model.UrlForm;

/**
 * Turns targets as the authority wrote them into their one normal form, once, at intake.
 *
 * <ul>
 *   <li>Domain: UTS #46 non-transitional processing (IDNA2008 with the compatibility mapping that
 *       browsers use), so {@code мем.қаз}, {@code МЕМ.ҚАЗ.} and {@code xn--e1anb.xn--80ao21a} are
 *       one name; then the RFC 1035 limits: labels of 1–63 letters, digits and hyphens, 253 octets.
 *   <li>URL: RFC 3986 §6.2.2 syntax-based normalisation (case, percent-encoding, dot segments) plus
 *       the scheme-based step (default port, empty path); the fragment never reaches a server and
 *       is dropped.
 *   <li>IP and CIDR: strict literals only — no octal, hexadecimal or shortened IPv4 forms, which
 *       different resolvers read differently — printed canonically (RFC 5952 for IPv6).
 * </ul>
 */
public final class TargetNormaliser {

    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;
    private static final int MAX_URL_LENGTH = 4096;

    private static final IDNA UTS46 = IDNA.getUTS46Instance(
            IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.USE_STD3_RULES);

    private static final Pattern LDH_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern URI_PARTS =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(?://([^/?#]*))?([^?#]*)(?:\\?([^#]*))?(?:#.*)?", Pattern.DOTALL);
    private static final Pattern PACKAGE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");


    private static final IPAddressStringParameters ADDRESS = addressParameters(false);
    private static final IPAddressStringParameters NETWORK = addressParameters(true);

    private TargetNormaliser() {
    }

    /** A domain name; {@code includeSubdomains} extends it to every name below it. */
    public static DomainTarget domain(String text, boolean includeSubdomains) {
        return new DomainTarget(hostName(text), includeSubdomains);
    }

    /** An http or https URL. */
    public static UrlTarget url(String text) {
        String trimmed = text.strip();
        if (trimmed.length() > MAX_URL_LENGTH) {
            throw new InvalidTargetException("URL longer than " + MAX_URL_LENGTH + " characters");
        }
        if (trimmed.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidTargetException("URL contains control characters");
        }
        Matcher parts = URI_PARTS.matcher(trimmed);
        if (!parts.matches()) {
            throw new InvalidTargetException("not a URL: expected http://host/path or https://host/path");
        }
        String scheme = parts.group(1).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidTargetException("scheme '" + scheme + "' is not http or https");
        }
        String authority = parts.group(2);
        if (authority == null || authority.isEmpty()) {
            throw new InvalidTargetException("URL has no host");
        }
        if (authority.indexOf('@') >= 0) {
            throw new InvalidTargetException("URL must not carry a user name or password");
        }
        HostAndPort hostAndPort = hostAndPort(authority);
        boolean defaultPort = hostAndPort.port.isEmpty()
                || (scheme.equals("http") && hostAndPort.port.equals("80"))
                || (scheme.equals("https") && hostAndPort.port.equals("443"));

        String pathAndQuery;
        try {
            pathAndQuery = UrlForm.pathAndQuery(parts.group(3), parts.group(4));
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(e.getMessage());
        }
        StringBuilder url = new StringBuilder(scheme).append("://").append(hostAndPort.hostForUrl);
        if (!defaultPort) {
            url.append(':').append(hostAndPort.port);
        }
        url.append(pathAndQuery);
        if (url.length() > MAX_URL_LENGTH) {
            // Percent-encoding can triple a URL: the limit holds for the form kept, so that it
            // normalises to itself again (found by fuzzing).
            throw new InvalidTargetException("URL longer than " + MAX_URL_LENGTH + " characters once percent-encoded");
        }
        return new UrlTarget(url.toString(), hostAndPort.host);
    }

    /** One IPv4 or IPv6 address. */
    public static IpTarget ip(String text) {
        IPAddress address = parse(text, ADDRESS, "IP address");
        return new IpTarget(address.toCanonicalString());
    }

    /** A network in CIDR notation, such as {@code 203.0.113.0/24}; host bits must be zero. */
    public static CidrTarget cidr(String text) {
        IPAddress address = parse(text, NETWORK, "network");
        Integer prefix = address.getNetworkPrefixLength();
        if (prefix == null) {
            throw new InvalidTargetException("network has no /prefix length");
        }
        if (!address.isPrefixBlock()) {
            throw new InvalidTargetException("host bits are set; the network is "
                    + address.toPrefixBlock().toCanonicalString());
        }
        return new CidrTarget(address.getLower().withoutPrefixLength().toCanonicalString(), prefix);
    }

    /** A mobile application by its store and id there. */
    public static AppTarget app(AppStore store, String packageId) {
        String id = packageId.strip();
        if (!PACKAGE_ID.matcher(id).matches()) {
            throw new InvalidTargetException("application id must be 1-255 letters, digits, '.', '_' or '-'");
        }
        return new AppTarget(store, id);
    }

    /** A host name in its checked A-label form. */
    static String hostName(String text) {
        String name = text.strip();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw new InvalidTargetException("domain name is empty");
        }
        if (name.startsWith("*.")) {
            throw new InvalidTargetException("write the name without '*.' and set includeSubdomains");
        }
        StringBuilder ascii = new StringBuilder();
        IDNA.Info info = new IDNA.Info();
        try {
            UTS46.nameToASCII(name, ascii, info);
        } catch (ICUInputTooLongException e) {
            // ICU refuses a label too long to Punycode-encode (found by fuzzing); far beyond any name.
            throw new InvalidTargetException("domain name too long: a label is longer than any domain name can be");
        }
        if (info.hasErrors()) {
            throw new InvalidTargetException("not a valid domain name: " + info.getErrors().stream()
                    .map(error -> error.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .sorted().reduce((a, b) -> a + ", " + b).orElse(""));
        }
        String result = ascii.toString();
        if (result.length() > MAX_NAME_LENGTH) {
            throw new InvalidTargetException("domain name too long: more than " + MAX_NAME_LENGTH + " characters");
        }
        String[] labels = result.split("\\.", -1);
        if (labels.length < 2) {
            throw new InvalidTargetException("a single label is a top-level domain, not a resource");
        }
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new InvalidTargetException("domain name has an empty label");
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                throw new InvalidTargetException("label longer than " + MAX_LABEL_LENGTH + " characters");
            }
            if (!LDH_LABEL.matcher(label).matches()) {
                throw new InvalidTargetException("label '" + label + "' is not letters, digits and inner hyphens");
            }
        }
        if (DIGITS.matcher(labels[labels.length - 1]).matches()) {
            throw new InvalidTargetException("looks like an IP address: use an IP target");
        }
        return result;
    }

    private record HostAndPort(String host, String hostForUrl, String port) {
    }

    private static HostAndPort hostAndPort(String authority) {
        String host;
        String port = "";
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new InvalidTargetException("IPv6 host is missing ']'");
            }
            host = authority.substring(1, close);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new InvalidTargetException("unexpected text after the IPv6 host");
                }
                port = rest.substring(1);
            }
            String address = ip(host).address();
            if (!address.contains(":")) {
                throw new InvalidTargetException("bracketed host is not an IPv6 address");
            }
            return new HostAndPort(address, "[" + address + "]", checkedPort(port));
        }
        int colon = authority.lastIndexOf(':');
        if (colon >= 0) {
            port = authority.substring(colon + 1);
            host = authority.substring(0, colon);
        } else {
            host = authority;
        }
        if (host.indexOf('%') >= 0) {
            throw new InvalidTargetException("percent-encoded host names are not accepted; write the name itself");
        }
        String normalised = host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))
                ? ip(host).address()
                : hostName(host);
        return new HostAndPort(normalised, normalised, checkedPort(port));
    }

    private static String checkedPort(String port) {
        if (port.isEmpty()) {
            return port;
        }
        if (!DIGITS.matcher(port).matches() || port.length() > 5 || Integer.parseInt(port) == 0
                || Integer.parseInt(port) > 65_535) {
            throw new InvalidTargetException("port '" + port + "' is not 1-65535");
        }
        return Integer.toString(Integer.parseInt(port));
    }

    private static IPAddress parse(String text, IPAddressStringParameters parameters, String what) {
        IPAddressString string = new IPAddressString(text.strip(), parameters);
        IPAddress address;
        try {
            string.validate();
            address = string.getAddress();
        } catch (AddressStringException e) {
            throw new InvalidTargetException("not a valid " + what + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // The library can fail on text it first let through (an index out of bounds on a long
            // prefix length, a value beyond the address size: found by fuzzing); not an address either way.
            throw new InvalidTargetException("not a valid " + what);
        }
        if (address == null || address.isMultiple() && !address.isPrefixBlock()) {
            throw new InvalidTargetException("not a single " + what);
        }
        return address;
    }

    private static IPAddressStringParameters addressParameters(boolean prefixAllowed) {
        IPAddressStringParameters.Builder builder = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .allowAll(false)
                .allowSingleSegment(false)
                .allowPrefix(prefixAllowed)
                .allowMask(false)
                .allowPrefixOnly(false)
                .allowWildcardedSeparator(false);
        builder.getIPv4AddressParametersBuilder()
                .allow_inet_aton(false)
                .allowLeadingZeros(false)
                .allowBinary(false)
                .allowWildcardedSeparator(false)
                .allowPrefixesBeyondAddressSize(false);
        builder.getIPv6AddressParametersBuilder()
                .allowZone(false)
                .allowBinary(false)
                .allowWildcardedSeparator(false)
                .allowPrefixesBeyondAddressSize(false);
        return builder.toParams();
    }
}
