package kz.qaqpa.gateway.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import kz.qaqpa.blocklist.cluster.ClusterSettings;
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

    /** Every setting key, in the order the README lists them ({@link Settings#ALL}). */
    public static final List<String> KEYS = Settings.ALL.stream().map(Setting::key).toList();

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

    private GatewayConfig resolve() {
        for (Setting<?> setting : Settings.ALL) {
            if (setting.secret() && commandLine.values().containsKey(setting.key())) {
                throw new ConfigException("--" + setting.key() + " would be visible to every user of this host (ps): give it in "
                        + setting.environmentVariable() + ", in the configuration file, or in a file named by --"
                        + setting.key() + "-file");
            }
        }
        Path dataDir = value(GatewayConfig.DATA_DIR);
        DatabaseSettings database = find(GatewayConfig.DB_URL)
                .map(url -> new DatabaseSettings(url, value(GatewayConfig.DB_USER),
                        secret(GatewayConfig.DB_PASSWORD, GatewayConfig.DB_PASSWORD_FILE).orElse("")))
                .orElseGet(() -> DatabaseSettings.embedded(dataDir));
        ClusterSettings cluster = new ClusterSettings(value(GatewayConfig.CLUSTER_NAME), value(GatewayConfig.CLUSTER_ADDRESS),
                value(GatewayConfig.HAZELCAST_PORT), value(GatewayConfig.CLUSTER_MEMBERS));
        TrustFiles trust = new TrustFiles(value(TrustFiles.TRUST_ANCHORS), value(TrustFiles.AUTHORISED_SIGNERS),
                value(TrustFiles.SIGNER_SCOPES), value(TrustFiles.CRL), value(TrustFiles.CRL_GRACE));

        return new GatewayConfig(
                value(GatewayConfig.HTTP_HOST),
                value(GatewayConfig.HTTP_PORT),
                dataDir,
                database,
                cluster,
                secret(GatewayConfig.ADMIN_TOKEN, GatewayConfig.ADMIN_TOKEN_FILE)
                        .map(token -> parse(Parse::adminToken, token, GatewayConfig.ADMIN_TOKEN.key())),
                value(GatewayConfig.SHUTDOWN_GRACE),
                trust,
                new IntakeLimits(value(IntakeLimits.MAX_DIRECTIVE_BYTES), value(IntakeLimits.MAX_TARGETS),
                        value(IntakeLimits.WIDEST_IPV4_PREFIX), value(IntakeLimits.WIDEST_IPV6_PREFIX),
                        find(IntakeLimits.SHARED_INFRASTRUCTURE_FILE)),
                new FilterNodeSettings(
                        value(FilterNodeSettings.ENABLED),
                        value(FilterNodeSettings.DNS_HOST),
                        value(FilterNodeSettings.DNS_PORT),
                        value(FilterNodeSettings.UPSTREAM),
                        value(FilterNodeSettings.UPSTREAM_TIMEOUT),
                        new Sinkhole(find(FilterNodeSettings.SINKHOLE_A), find(FilterNodeSettings.SINKHOLE_AAAA)),
                        value(FilterNodeSettings.NEGATIVE_TTL),
                        value(FilterNodeSettings.CLIENT_IN_FLIGHT),
                        value(FilterNodeSettings.UPSTREAM_TCP),
                        value(FilterNodeSettings.UPSTREAM_0X20)),
                new Retention(value(Retention.KEEP_CHANGES), value(Retention.KEEP_FOR), value(Retention.KEEP_APPELLANTS)),
                new DeliverySettings(
                        find(DeliverySettings.GATEWAY_KEY),
                        find(DeliverySettings.GATEWAY_CERTIFICATE),
                        value(DeliverySettings.TIMEOUT),
                        value(DeliverySettings.DEAD_AFTER),
                        value(DeliverySettings.ACK_OVERDUE_RESTRICT),
                        value(DeliverySettings.ACK_OVERDUE_RESTORE),
                        find(DeliverySettings.RECIPIENTS_FILE),
                        find(DeliverySettings.SECRETS_KEY_FILE)),
                new FeedSettings(
                        value(FeedSettings.RPZ_ORIGIN),
                        value(FeedSettings.XFR_HOST),
                        value(FeedSettings.XFR_PORT),
                        value(FeedSettings.XFR_ALLOW),
                        value(FeedSettings.XFR_NOTIFY),
                        find(FeedSettings.XFR_TSIG_KEYS),
                        value(FeedSettings.STH_INTERVAL),
                        staleness()),
                new AppealSettings(find(AppealSettings.CALENDAR_FILE),
                        find(AppealSettings.SMTP_HOST).map(this::mail),
                        find(AppealSettings.AUTHORITY_EMAIL),
                        new ProbeSettings(
                                value(ProbeSettings.DEADLINE),
                                value(ProbeSettings.MAX_BYTES),
                                value(ProbeSettings.ALLOW_PORTS),
                                value(ProbeSettings.ALLOW_NETWORKS),
                                find(ProbeSettings.PROXY),
                                value(ProbeSettings.USER_AGENT),
                                ProbeSettings.defaults().concurrency(), ProbeSettings.defaults().perHost(),
                                ProbeSettings.defaults().perAppeal()),
                        find(AppealSettings.PUBLIC_URL),
                        value(AppealSettings.ORDER_WORKING_DAYS)),
                SuspensionSettings.of(value(SuspensionSettings.WHOIS_SERVER), value(SuspensionSettings.WHOIS_DEADLINE)),
                new RateLimits(value(RateLimits.LOOKUPS), value(RateLimits.APPEALS)),
                new HttpSecurity(value(HttpSecurity.HEAD_TIMEOUT), tls(),
                        find(HttpSecurity.METRICS_PORT).map(OptionalInt::of).orElse(OptionalInt.empty()),
                        value(HttpSecurity.CONSOLE_IDLE)));
    }

    /** How long a tree head may be relied on: longer than the interval heads are issued at, or every one is stale. */
    private Duration staleness() {
        Duration staleness = value(FeedSettings.MAX_STALENESS);
        if (staleness.compareTo(value(FeedSettings.STH_INTERVAL)) <= 0) {
            throw new ConfigException("max-staleness (" + staleness + ") must be longer than sth-interval ("
                    + value(FeedSettings.STH_INTERVAL) + ")");
        }
        return staleness;
    }

    /** The mail server for notices, when {@code smtp-host} is given; a password needs TLS. */
    private AppealSettings.MailSettings mail(String host) {
        boolean tls = value(AppealSettings.SMTP_TLS);
        boolean starttls = value(AppealSettings.SMTP_STARTTLS);
        Optional<String> password = secret(AppealSettings.SMTP_PASSWORD, AppealSettings.SMTP_PASSWORD_FILE);
        if (password.isPresent() && !tls && !starttls) {
            throw new ConfigException("smtp-password would cross the network in clear: set smtp-tls (SMTPS) or smtp-starttls");
        }
        return new AppealSettings.MailSettings(host, find(AppealSettings.SMTP_PORT).orElse(tls ? 465 : 25), tls, starttls,
                find(AppealSettings.SMTP_USER), password, value(AppealSettings.SMTP_FROM));
    }

    /** HTTPS needs a certificate and its key together; client CAs only make sense with HTTPS. */
    private Optional<HttpSecurity.Tls> tls() {
        Optional<Path> certificate = find(HttpSecurity.TLS_CERTIFICATE);
        Optional<Path> key = find(HttpSecurity.TLS_KEY);
        Optional<Path> authorityCa = find(HttpSecurity.AUTHORITY_CLIENT_CA);
        Optional<Path> operatorCa = find(HttpSecurity.OPERATOR_CLIENT_CA);
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
    private Optional<String> secret(Setting<String> secret, Setting<Path> inFile) {
        Optional<String> given = find(secret);
        Optional<Path> file = find(inFile);
        String key = secret.key();
        if (given.isPresent() && file.isPresent()) {
            throw new ConfigException(key + " and " + inFile.key() + " go alone: give one of them");
        }
        if (file.isEmpty()) {
            return given;
        }
        try {
            String value = Files.readString(file.get()).strip();
            if (value.isEmpty()) {
                throw new ConfigException(inFile.key() + " " + file.get() + " is empty");
            }
            return Optional.of(value);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + inFile.key() + " " + file.get() + ": " + describe(e));
        }
    }

    /** The setting's value where it is given (command line, then environment, then file), else its default. */
    private <T> T value(Setting<T> setting) {
        return find(setting).orElseGet(setting::defaultValue);
    }

    private <T> Optional<T> find(Setting<T> setting) {
        String key = setting.key();
        Function<String, T> parse = setting.parser();
        String fromCommandLine = commandLine.values().get(key);
        if (fromCommandLine != null) {
            return Optional.of(parse(parse, fromCommandLine, "--" + key));
        }
        String variable = setting.environmentVariable();
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
}
