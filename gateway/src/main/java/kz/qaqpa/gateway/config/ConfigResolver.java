package kz.qaqpa.gateway.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
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
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
import kz.qaqpa.blocklist.dns.DnsFilterServer;
import kz.qaqpa.blocklist.dns.Sinkhole;
import kz.qaqpa.directives.store.DatabaseSettings;

/**
 * Resolves {@link GatewayConfig} from four sources, each overriding the one before: built-in
 * defaults, the YAML file of {@code --config} (or {@code QAQPA_CONFIG}), environment variables, and
 * command-line options.
 *
 * <p>A setting has one key used everywhere: {@code --http-port} on the command line,
 * {@code http-port:} in the file, {@code QAQPA_HTTP_PORT} in the environment. Every value is parsed
 * and checked here, and an error names the setting and where its value came from, so that
 * {@code qaqpa gateway} fails before it touches the data directory.
 */
public final class ConfigResolver {

    /** Every setting key, in the order the README lists them. */
    public static final List<String> KEYS = List.of(
            "http-host", "http-port", "data-dir", "db-url", "db-user", "db-password", "db-password-file",
            "cluster-name", "cluster-address", "hazelcast-port", "cluster-members",
            "admin-token", "admin-token-file", "secrets-key-file", "shutdown-grace", "trust-anchors", "authorised-signers", "crl", "crl-grace",
            "max-directive-bytes", "max-targets", "filter-node", "dns-host", "dns-port", "upstream", "upstream-timeout",
            "dns-negative-ttl", "dns-client-in-flight", "upstream-tcp", "upstream-0x20",
            "change-log-keep-changes", "change-log-keep-for", "sinkhole-a", "sinkhole-aaaa",
            "gateway-key", "gateway-certificate", "delivery-timeout", "delivery-dead-after",
            "ack-overdue-restrict", "ack-overdue-restore", "recipients-file",
            "rpz-origin", "xfr-host", "xfr-port", "xfr-allow", "xfr-notify", "xfr-tsig-keys", "calendar-file",
            "smtp-host", "smtp-port", "smtp-tls", "smtp-starttls", "smtp-user", "smtp-password", "smtp-password-file", "smtp-from", "authority-email",
            "public-url", "probe-deadline", "probe-max-bytes", "probe-allow-ports", "probe-allow-networks", "probe-proxy", "probe-user-agent",
            "rate-limit-lookups", "rate-limit-appeals",
            "http-head-timeout", "metrics-port", "tls-certificate", "tls-key", "authority-client-ca", "operator-client-ca");

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final int MIN_ADMIN_TOKEN_LENGTH = 24;

    private final CommandLineSettings commandLine;
    private final Map<String, String> environment;
    private final Optional<Path> file;
    private final Map<String, String> fileValues;

    private ConfigResolver(CommandLineSettings commandLine, Map<String, String> environment) {
        this.commandLine = commandLine;
        this.environment = environment;
        this.file = commandLine.configFile().or(() -> Optional.ofNullable(environment.get("QAQPA_CONFIG")).map(Path::of));
        this.fileValues = file.map(ConfigResolver::readFile).orElse(Map.of());
    }

    /**
     * Resolves the configuration.
     *
     * @param commandLine options given on the command line
     * @param environment the process environment (only {@code QAQPA_*} variables are read)
     * @throws ConfigException naming the first bad setting and its source
     */
    public static GatewayConfig resolve(CommandLineSettings commandLine, Map<String, String> environment) {
        return new ConfigResolver(commandLine, environment).resolve();
    }

    /** The environment variable of a setting key: {@code http-port} → {@code QAQPA_HTTP_PORT}. */
    public static String environmentVariable(String key) {
        return "QAQPA_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Settings that are secrets: see {@link #secret}. */
    private static final List<String> SECRETS = List.of("admin-token", "db-password", "smtp-password");

    private GatewayConfig resolve() {
        for (String key : SECRETS) {
            if (commandLine.values().containsKey(key)) {
                throw new ConfigException("--" + key + " would be visible to every user of this host (ps): give it in "
                        + environmentVariable(key) + ", in the configuration file, or in a file named by --" + key + "-file");
            }
        }
        Path dataDir = get("data-dir", Path.of("data"), ConfigResolver::path);
        Optional<String> dbUrl = find("db-url", ConfigResolver::postgresUrl);
        DatabaseSettings database = dbUrl
                .map(url -> new DatabaseSettings(url, get("db-user", "", Function.identity()),
                        secret("db-password").orElse("")))
                .orElseGet(() -> DatabaseSettings.embedded(dataDir));

        String clusterAddress = get("cluster-address", "127.0.0.1", ConfigResolver::nonBlank);
        ClusterSettings cluster = new ClusterSettings(
                get("cluster-name", ClusterSettings.DEFAULT_NAME, ConfigResolver::nonBlank),
                clusterAddress,
                get("hazelcast-port", ClusterSettings.DEFAULT_PORT, ConfigResolver::port),
                get("cluster-members", List.of(), ConfigResolver::members));

        TrustFiles trust = new TrustFiles(
                get("trust-anchors", List.of(), ConfigResolver::readableFiles),
                get("authorised-signers", List.of(), ConfigResolver::readableFiles),
                get("crl", List.of(), ConfigResolver::readableFiles),
                get("crl-grace", TrustFiles.DEFAULT_CRL_GRACE, ConfigResolver::duration));

        return new GatewayConfig(
                get("http-host", "0.0.0.0", ConfigResolver::nonBlank),
                get("http-port", 8080, ConfigResolver::port),
                dataDir,
                database,
                cluster,
                secret("admin-token").map(token -> parse(ConfigResolver::adminToken, token, "admin-token")),
                get("shutdown-grace", Duration.ofSeconds(20), ConfigResolver::duration),
                trust,
                new IntakeLimits(
                        get("max-directive-bytes", IntakeLimits.DEFAULT_MAX_DIRECTIVE_BYTES, text -> positive(text, 64 << 20)),
                        get("max-targets", IntakeLimits.DEFAULT_MAX_TARGETS, text -> positive(text, 10_000_000))),
                new FilterNodeSettings(
                        get("filter-node", true, ConfigResolver::bool),
                        get("dns-host", "127.0.0.1", ConfigResolver::nonBlank),
                        get("dns-port", 5353, ConfigResolver::port),
                        get("upstream", new InetSocketAddress("127.0.0.1", 53), ConfigResolver::hostAndPort),
                        get("upstream-timeout", Duration.ofSeconds(2), ConfigResolver::duration),
                        new Sinkhole(find("sinkhole-a", ConfigResolver::ipv4), find("sinkhole-aaaa", ConfigResolver::ipv6)),
                        get("dns-negative-ttl", Duration.ofSeconds(DnsFilterServer.Settings.DEFAULT_NEGATIVE_TTL),
                                ConfigResolver::negativeTtl),
                        get("dns-client-in-flight", DnsFilterServer.Settings.DEFAULT_CLIENT_IN_FLIGHT,
                                text -> positive(text, 50_000)),
                        get("upstream-tcp", false, ConfigResolver::bool),
                        get("upstream-0x20", false, ConfigResolver::bool)),
                new Retention(
                        get("change-log-keep-changes", 1_000_000, text -> positive(text, Integer.MAX_VALUE)),
                        get("change-log-keep-for", Duration.ofDays(30), ConfigResolver::duration)),
                new DeliverySettings(
                        find("gateway-key", ConfigResolver::readableFile),
                        find("gateway-certificate", ConfigResolver::readableFile),
                        get("delivery-timeout", Duration.ofSeconds(10), ConfigResolver::duration),
                        get("delivery-dead-after", Duration.ofHours(24), ConfigResolver::duration),
                        get("ack-overdue-restrict", Duration.ofHours(24), ConfigResolver::duration),
                        get("ack-overdue-restore", Duration.ofHours(1), ConfigResolver::duration),
                        find("recipients-file", ConfigResolver::readableFile),
                        find("secrets-key-file", ConfigResolver::path)),
                new FeedSettings(
                        get("rpz-origin", FeedSettings.DEFAULT_RPZ_ORIGIN, ConfigResolver::zoneName),
                        get("xfr-host", "127.0.0.1", ConfigResolver::nonBlank),
                        get("xfr-port", FeedSettings.DEFAULT_XFR_PORT, ConfigResolver::portOrOff),
                        get("xfr-allow", FeedSettings.LOOPBACK, ConfigResolver::networks),
                        get("xfr-notify", List.of(), ConfigResolver::hostsAndPorts),
                        find("xfr-tsig-keys", ConfigResolver::readableFile)),
                new AppealSettings(find("calendar-file", ConfigResolver::readableFile),
                        find("smtp-host", ConfigResolver::nonBlank).map(host -> {
                            boolean tls = get("smtp-tls", false, ConfigResolver::bool);
                            boolean starttls = get("smtp-starttls", false, ConfigResolver::bool);
                            Optional<String> password = secret("smtp-password");
                            if (password.isPresent() && !tls && !starttls) {
                                throw new ConfigException("smtp-password would cross the network in clear: set smtp-tls"
                                        + " (SMTPS) or smtp-starttls");
                            }
                            return new AppealSettings.MailSettings(host, get("smtp-port", tls ? 465 : 25, ConfigResolver::port),
                                    tls, starttls, find("smtp-user", ConfigResolver::nonBlank), password,
                                    get("smtp-from", "qaqpa@localhost", ConfigResolver::email));
                        }),
                        find("authority-email", ConfigResolver::email),
                        new ProbeSettings(
                                get("probe-deadline", ProbeSettings.DEFAULT_DEADLINE, ConfigResolver::duration),
                                get("probe-max-bytes", ProbeSettings.DEFAULT_MAX_BODY_BYTES,
                                        text -> (long) positive(text, Integer.MAX_VALUE)),
                                get("probe-allow-ports", ProbeSettings.WEB_PORTS, ProbeSettings.Ports::parse),
                                get("probe-allow-networks", List.of(), ConfigResolver::networks),
                                find("probe-proxy", ConfigResolver::hostAndPort),
                                get("probe-user-agent", ProbeSettings.BROWSER_USER_AGENT, ConfigResolver::nonBlank),
                                ProbeSettings.defaults().concurrency(), ProbeSettings.defaults().perHost(),
                                ProbeSettings.defaults().perAppeal()),
                        find("public-url", ConfigResolver::webUrl)),
                new RateLimits(
                        get("rate-limit-lookups", RateLimits.defaults().lookups(), RateLimits.Rate::parse),
                        get("rate-limit-appeals", RateLimits.defaults().appeals(), RateLimits.Rate::parse)),
                new HttpSecurity(get("http-head-timeout", HttpSecurity.DEFAULT_REQUEST_HEAD_TIMEOUT, ConfigResolver::duration),
                        tls(), find("metrics-port", ConfigResolver::port).map(java.util.OptionalInt::of)
                        .orElse(java.util.OptionalInt.empty())));
    }

    /** HTTPS needs a certificate and its key together; client CAs only make sense with HTTPS. */
    private Optional<HttpSecurity.Tls> tls() {
        Optional<Path> certificate = find("tls-certificate", ConfigResolver::readableFile);
        Optional<Path> key = find("tls-key", ConfigResolver::readableFile);
        Optional<Path> authorityCa = find("authority-client-ca", ConfigResolver::readableFile);
        Optional<Path> operatorCa = find("operator-client-ca", ConfigResolver::readableFile);
        if (certificate.isPresent() != key.isPresent()) {
            throw new ConfigException("tls-certificate and tls-key go together: give both or neither");
        }
        if (certificate.isEmpty() && (authorityCa.isPresent() || operatorCa.isPresent())) {
            throw new ConfigException("authority-client-ca and operator-client-ca need HTTPS: give tls-certificate and tls-key");
        }
        return certificate.map(file -> new HttpSecurity.Tls(file, key.orElseThrow(), authorityCa, operatorCa));
    }

    /**
     * A secret setting: from the environment, the configuration file, or the file that
     * {@code KEY-file} names — never from the command line, where every user of the host reads it
     * ({@code ps}, {@code /proc/PID/cmdline}).
     */
    private Optional<String> secret(String key) {
        Optional<String> given = find(key, Function.identity());
        Optional<Path> file = find(key + "-file", ConfigResolver::readableFile);
        if (given.isPresent() && file.isPresent()) {
            throw new ConfigException(key + " and " + key + "-file go alone: give one of them");
        }
        if (file.isEmpty()) {
            return given;
        }
        try {
            String value = Files.readString(file.get()).strip();
            if (value.isEmpty()) {
                throw new ConfigException(key + "-file " + file.get() + " is empty");
            }
            return Optional.of(value);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + key + "-file " + file.get() + ": " + describe(e));
        }
    }

    private <T> T get(String key, T defaultValue, Function<String, T> parse) {
        return find(key, parse).orElse(defaultValue);
    }

    private <T> Optional<T> find(String key, Function<String, T> parse) {
        String fromCommandLine = commandLine.values().get(key);
        if (fromCommandLine != null) {
            return Optional.of(parse(parse, fromCommandLine, "--" + key));
        }
        String variable = environmentVariable(key);
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return Optional.of(parse(parse, fromEnvironment, variable));
        }
        String fromFile = fileValues.get(key);
        if (fromFile != null) {
            return Optional.of(parse(parse, fromFile, key + " in " + file.orElseThrow()));
        }
        return Optional.empty();
    }

    private static <T> T parse(Function<String, T> parse, String raw, String source) {
        try {
            return parse.apply(raw.strip());
        } catch (IllegalArgumentException e) {
            String shown = source.contains("token") || source.contains("password") ? "(hidden)" : "'" + raw + "'";
            throw new ConfigException("invalid " + source + " " + shown + ": " + e.getMessage());
        }
    }

    private static Map<String, String> readFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new ConfigException("cannot read --config " + file + ": not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ConfigException("cannot read --config " + file + ": " + describe(e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new ConfigException("cannot read --config " + file + ": expected a mapping of settings");
        }
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> known = new HashSet<>(KEYS);
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!known.contains(field.getKey())) {
                throw new ConfigException("unknown setting '" + field.getKey() + "' in " + file
                        + " (known: " + String.join(", ", KEYS) + ")");
            }
            values.put(field.getKey(), scalarOrList(field.getValue()));
        }
        return values;
    }

    private static String scalarOrList(JsonNode node) {
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(item.asText()));
            return String.join(",", items);
        }
        return node.isNull() ? "" : node.asText();
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            default -> e.getMessage() == null ? kind : e.getMessage();
        };
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
        if (!text.matches("[^@\\s<>\"(),;:]+@[^@\\s<>\"(),;:]+")) {
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
