package kz.qaqpa.gateway.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.qaqpa.directives.identity.EmailAddress;

/**
 * How the text of a setting is read, one rule per kind of value (a port, a duration, a file, an
 * address, an e-mail address …), whichever setting and wherever it was given. Each throws an
 * {@link IllegalArgumentException} that says what was expected; {@link ConfigResolver} names the
 * setting and where it came from.
 */
final class Parse {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final int MIN_ADMIN_TOKEN_LENGTH = 24;

    private Parse() {
    }

    /** An http or https URL without a trailing slash: where the gateway's pages are reached. */
    static String webUrl(String text) {
        java.net.URI uri;
        try {
            uri = java.net.URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL");
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("an http or https URL, such as https://appeals.example.kz");
        }
        return text.replaceAll("/+$", "");
    }

    static int port(String text) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number (0-65535)");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not a port number (0-65535)");
        }
        return port;
    }

    static Path path(String text) {
        if (text.isEmpty() || text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a path");
        }
        return Path.of(text);
    }

    static String email(String text) {
        if (!EmailAddress.isValid(text)) {
            throw new IllegalArgumentException("not an e-mail address");
        }
        return text;
    }

    /** A port, 0 for any free one, or -1 for none. */
    static int portOrOff(String text) {
        return "-1".equals(text.strip()) ? -1 : port(text);
    }

    /** Addresses or networks in CIDR form, comma-separated. */
    static List<String> networks(String text) {
        List<String> networks = new ArrayList<>();
        for (String item : text.split(",")) {
            String network = item.strip();
            if (network.isEmpty()) {
                continue;
            }
            if (new inet.ipaddr.IPAddressString(network).getAddress() == null) {
                throw new IllegalArgumentException("not an address or network: " + network);
            }
            networks.add(network);
        }
        return List.copyOf(networks);
    }

    /** {@code host:port} items, comma-separated (port 53 when left out). */
    static List<InetSocketAddress> hostsAndPorts(String text) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                String value = item.strip();
                addresses.add(value.lastIndexOf(':') > value.lastIndexOf(']') ? hostAndPort(value) : hostAndPort(value + ":53"));
            }
        }
        return List.copyOf(addresses);
    }

    /** An absolute DNS name of LDH labels, ending in a dot: {@code rpz.qaqpa.} */
    static String zoneName(String text) {
        if (!text.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+") || text.length() > 254) {
            throw new IllegalArgumentException("an absolute DNS name in lower case ending in a dot, such as rpz.qaqpa.");
        }
        return text;
    }

    static String nonBlank(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return text;
    }

    static String postgresUrl(String text) {
        if (!text.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("expected a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE)");
        }
        return text;
    }

    static List<String> members(String text) {
        List<String> members = Arrays.stream(text.split(","))
                .map(String::strip)
                .filter(member -> !member.isEmpty())
                .toList();
        for (String member : members) {
            int colon = member.lastIndexOf(':');
            if (colon >= 0 && !member.endsWith("]")) {
                port(member.substring(colon + 1));
            }
        }
        return members;
    }

    static String adminToken(String text) {
        if (text.length() < MIN_ADMIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("too short: use at least " + MIN_ADMIN_TOKEN_LENGTH
                    + " random characters (for example: openssl rand -hex 24)");
        }
        return text;
    }

    static Path readableFile(String text) {
        List<Path> files = readableFiles(text);
        if (files.size() != 1) {
            throw new IllegalArgumentException("one file, not " + files.size());
        }
        return files.get(0);
    }

    static List<Path> readableFiles(String text) {
        List<Path> files = new ArrayList<>();
        for (String name : text.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            Path file = Path.of(name.strip());
            if (!Files.isReadable(file) || Files.isDirectory(file)) {
                throw new IllegalArgumentException("cannot read file " + file);
            }
            files.add(file);
        }
        return List.copyOf(files);
    }

    static int positive(String text, int max) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (value < 1 || value > max) {
            throw new IllegalArgumentException("must be between 1 and " + max);
        }
        return value;
    }

    static Inet4Address ipv4(String text) {
        if (!text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new IllegalArgumentException("expected an IPv4 address");
        }
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException | ClassCastException e) {
            throw new IllegalArgumentException("expected an IPv4 address");
        }
    }

    static Inet6Address ipv6(String text) {
        if (!text.contains(":") || !text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("expected an IPv6 address");
        }
        try {
            return (Inet6Address) InetAddress.getByName(text);
        } catch (UnknownHostException | ClassCastException e) {
            throw new IllegalArgumentException("expected an IPv6 address");
        }
    }

    static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** {@code host:port}; a bare host means port 53. The host is not looked up here. */
    static InetSocketAddress hostAndPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0 || text.endsWith("]")) {
            return InetSocketAddress.createUnresolved(text.replace("[", "").replace("]", ""), 53);
        }
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("expected HOST:PORT");
        }
        return new InetSocketAddress(host, port(text.substring(colon + 1)));
    }

    /** A negative TTL: whole seconds, at most 3 hours (RFC 2308 §5 advises 1 to 3 hours at most). */
    static Duration negativeTtl(String text) {
        Duration ttl = duration(text);
        if (ttl.toMillis() % 1000 != 0 || ttl.toSeconds() > 10_800) {
            throw new IllegalArgumentException("must be whole seconds, at most 3h");
        }
        return ttl;
    }

    static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 20s, 2m, 6h or 30d");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
