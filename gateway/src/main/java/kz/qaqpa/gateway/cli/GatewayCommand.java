package kz.qaqpa.gateway.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import kz.qaqpa.gateway.Gateway;
import kz.qaqpa.gateway.config.CommandLineSettings;
import kz.qaqpa.gateway.config.ConfigResolver;
import kz.qaqpa.gateway.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qaqpa gateway}: runs the gateway until SIGTERM or Ctrl+C. With no options it runs the
 * embedded mode: H2 in {@code ./data}, a Hazelcast member alone on loopback, HTTP on 8080.
 *
 * <p>Options are declared as text and parsed by {@link ConfigResolver}, so that a value given on the
 * command line, in the environment or in the YAML file is checked, and reported, the same way.
 */
@Command(name = "gateway",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the gateway: HTTP API, database, embedded Hazelcast member.",
            "Each option is also a key of the --config YAML file (without --) and an environment "
                    + "variable (QAQPA_ and the key in upper case, '-' as '_'); the command line wins, "
                    + "then the environment, then the file."},
        sortOptions = false)
final class GatewayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file of settings (QAQPA_CONFIG).")
    Path config;

    @Option(names = "--http-host", paramLabel = "HOST", description = "Interface for HTTP (default 0.0.0.0).")
    String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port; 0 = any free port (default 8080).")
    String httpPort;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default ./data).")
    String dataDir;

    @Option(names = "--db-url", paramLabel = "URL",
            description = "PostgreSQL JDBC URL; without it an H2 database in the data directory is used.")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "PostgreSQL user.")
    String dbUser;

    /** Refused with a message that says where to put it instead: a secret on the command line is visible in ps. */
    @Option(names = "--db-password", hidden = true)
    String dbPassword;

    @Option(names = "--db-password-file", paramLabel = "FILE",
            description = "File holding the PostgreSQL password (or QAQPA_DB_PASSWORD; never on the command line).")
    String dbPasswordFile;

    @Mixin
    ClusterOptions clusterOptions;

    @Option(names = "--cluster-address", paramLabel = "ADDRESS",
            description = "Interface the cluster member binds to and announces (default 127.0.0.1).")
    String clusterAddress;

    @Option(names = "--hazelcast-port", paramLabel = "PORT", description = "Cluster member port (default 5701).")
    String hazelcastPort;

    /** Refused with a message that says where to put it instead. */
    @Option(names = "--admin-token", hidden = true)
    String adminToken;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "File holding the bearer token of the authority's management calls (or QAQPA_ADMIN_TOKEN).")
    String adminTokenFile;

    @Option(names = "--secrets-key-file", paramLabel = "FILE",
            description = "AES key sealing recipients' passwords, the same on every member (default DATA-DIR/secrets.key, made on first start).")
    String secretsKeyFile;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION",
            description = "Time in-flight requests get after SIGTERM, e.g. 20s (default 20s).")
    String shutdownGrace;

    @Option(names = "--trust-anchors", paramLabel = "FILE[,FILE]",
            description = "PEM CA certificates directive signers must chain to (default: a demo PKI in embedded mode).")
    String trustAnchors;

    @Option(names = "--authorised-signers", paramLabel = "FILE[,FILE]",
            description = "PEM certificates allowed to sign directives.")
    String authorisedSigners;

    @Option(names = "--crl", paramLabel = "FILE", description = "A CRL to honour; repeat for several.")
    List<String> crl;

    @Option(names = "--crl-grace", paramLabel = "DURATION", description = "How long past its nextUpdate a CRL may be before the gateway reports not ready (default 1h).")
    String crlGrace;

    @Option(names = "--max-directive-bytes", paramLabel = "BYTES",
            description = "Largest directive request accepted (default 1048576).")
    String maxDirectiveBytes;

    @Option(names = "--max-targets", paramLabel = "N", description = "Most targets in one directive (default 100000).")
    String maxTargets;

    @Option(names = "--no-filter-node", description = "Do not run the in-process DNS filtering node.")
    boolean noFilterNode;

    @Mixin
    FilterNodeOptions filterNodeOptions;

    @Option(names = "--change-log-keep-changes", paramLabel = "N",
            description = "Changes kept in the blocklist change log at least (default 1000000).")
    String changeLogKeepChanges;

    @Option(names = "--change-log-keep-for", paramLabel = "DURATION",
            description = "Time changes are kept at least, e.g. 30d (default 30d).")
    String changeLogKeepFor;

    @Option(names = "--gateway-key", paramLabel = "FILE",
            description = "The gateway's own signing key, PEM or PKCS#12 (default: made in the data directory).")
    String gatewayKey;

    @Option(names = "--gateway-certificate", paramLabel = "FILE", description = "Its certificate (PEM).")
    String gatewayCertificate;

    @Option(names = "--delivery-timeout", paramLabel = "DURATION", description = "Time one delivery attempt may take (default 10s).")
    String deliveryTimeout;

    @Option(names = "--delivery-dead-after", paramLabel = "DURATION",
            description = "Age at which an undelivered delivery is given up (default 24h).")
    String deliveryDeadAfter;

    @Option(names = "--ack-overdue-restrict", paramLabel = "DURATION",
            description = "A RESTRICT not acknowledged this long is OVERDUE (default 24h).")
    String ackOverdueRestrict;

    @Option(names = "--ack-overdue-restore", paramLabel = "DURATION",
            description = "A RESTORE not acknowledged this long is OVERDUE (default 1h).")
    String ackOverdueRestore;

    @Option(names = "--recipients-file", paramLabel = "FILE",
            description = "YAML list of recipients to register or bring in step at start.")
    String recipientsFile;

    @Option(names = "--xfr-tsig-keys", paramLabel = "FILE",
            description = "TSIG keys in BIND's syntax: transfers must be signed by one, answers and NOTIFY are signed.")
    String xfrTsigKeys;

    @Option(names = "--xfr-host", paramLabel = "HOST", description = "Interface of the zone-transfer service (default 127.0.0.1).")
    String xfrHost;

    @Option(names = "--xfr-port", paramLabel = "PORT",
            description = "Its port, TCP and UDP: AXFR, IXFR and SOA of the policy zone (default 5300; -1 turns it off).")
    String xfrPort;

    @Option(names = "--xfr-allow", paramLabel = "CIDRS",
            description = "Addresses or networks allowed to transfer the zone (default 127.0.0.1/32,::1/128).")
    String xfrAllow;

    @Option(names = "--xfr-notify", paramLabel = "HOST:PORT,…", description = "Resolvers sent a NOTIFY at each new serial.")
    String xfrNotify;

    @Option(names = "--calendar-file", paramLabel = "FILE",
            description = "Working-day calendar (YAML, holidays and transfers by year) instead of the one shipped.")
    String calendarFile;

    @Option(names = "--smtp-host", paramLabel = "HOST", description = "Mail server for appeal notices (without it they wait, queued).")
    String smtpHost;

    @Option(names = "--smtp-port", paramLabel = "PORT", description = "Its port (default 25, 465 with --smtp-tls).")
    String smtpPort;

    @Option(names = "--smtp-tls", paramLabel = "true|false", description = "SMTPS (default false).")
    String smtpTls;

    @Option(names = "--smtp-user", paramLabel = "USER", description = "Login at the mail server.")
    String smtpUser;

    /** Refused with a message that says where to put it instead. */
    @Option(names = "--smtp-password", hidden = true)
    String smtpPassword;

    @Option(names = "--smtp-password-file", paramLabel = "FILE", description = "File holding its password (or QAQPA_SMTP_PASSWORD).")
    String smtpPasswordFile;

    @Option(names = "--smtp-starttls", paramLabel = "true|false", description = "STARTTLS on a plain port (default false).")
    String smtpStarttls;

    @Option(names = "--smtp-from", paramLabel = "ADDRESS", description = "Sender of notices (default qaqpa@localhost).")
    String smtpFrom;

    @Option(names = "--authority-email", paramLabel = "ADDRESS", description = "Where the authority is reminded of appeal deadlines.")
    String authorityEmail;

    @Option(names = "--public-url", paramLabel = "URL", description = "Where appellants reach the gateway's pages, for mailed links (default http://localhost:PORT).")
    String publicUrl;

    @Option(names = "--probe-deadline", paramLabel = "DURATION", description = "The most one probe of an appeal's link may take, redirects included (default 30s).")
    String probeDeadline;

    @Option(names = "--probe-max-bytes", paramLabel = "BYTES", description = "The most of a probed page read and hashed (default 8388608).")
    String probeMaxBytes;

    @Option(names = "--probe-allow-ports", paramLabel = "PORTS", description = "Ports a probed link may name, e.g. 80,443,8000-8999 (default 80,443).")
    String probeAllowPorts;

    @Option(names = "--probe-allow-networks", paramLabel = "CIDRS", description = "Non-public networks probes may reach all the same (default none).")
    String probeAllowNetworks;

    @Option(names = "--probe-proxy", paramLabel = "HOST:PORT", description = "HTTP proxy every probe leaves through.")
    String probeProxy;

    @Option(names = "--probe-user-agent", paramLabel = "TEXT", description = "User-Agent of probes (default a current Chrome's).")
    String probeUserAgent;

    @Option(names = "--rate-limit-lookups", paramLabel = "N/UNIT", description = "Per client address: look-ups, appeal pages and status reads (default 120/m).")
    String rateLimitLookups;

    @Option(names = "--rate-limit-appeals", paramLabel = "N/UNIT", description = "Per client address: appeal submissions (default 20/h).")
    String rateLimitAppeals;

    @Option(names = "--http-head-timeout", paramLabel = "DURATION", description = "Closes a connection without a whole request head this long after it opened or after its last answer (default 10s).")
    String httpHeadTimeout;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Loopback port serving /metrics and /health/* without a token (on the API's port /metrics needs the admin token).")
    String metricsPort;

    @Option(names = "--tls-certificate", paramLabel = "PEM", description = "The API's certificate chain: HTTPS only (with --tls-key).")
    String tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The key of --tls-certificate.")
    String tlsKey;

    @Option(names = "--authority-client-ca", paramLabel = "PEM", description = "Calls as the authority need a client certificate from this CA.")
    String authorityClientCa;

    @Option(names = "--operator-client-ca", paramLabel = "PEM", description = "Calls as an operator need a client certificate from this CA, CN = operator id.")
    String operatorClientCa;

    private static final List<String> NOT_SETTINGS = List.of("--config", "--help", "--version", "--no-filter-node");

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig resolved = ConfigResolver.resolve(commandLineSettings(), System.getenv());
        Gateway gateway = Gateway.start(resolved);
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "qaqpa-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.print(Banner.of(gateway));
        out.flush();
        gateway.awaitClosed();
        return 0;
    }

    private CommandLineSettings commandLineSettings() {
        Map<String, String> values = MatchedSettings.of(spec, NOT_SETTINGS);
        if (noFilterNode) {
            values.put("filter-node", "false");
        }
        return new CommandLineSettings(Optional.ofNullable(config), values);
    }
}
