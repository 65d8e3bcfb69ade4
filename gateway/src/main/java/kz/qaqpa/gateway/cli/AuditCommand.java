package kz.qaqpa.gateway.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import kz.qaqpa.blocklist.model.log.TreeHead;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.audit.AuditVerification;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseUnavailableException;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.config.CommandLineSettings;
import kz.qaqpa.gateway.config.ConfigResolver;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.pull.GatewayHttp;
import kz.qaqpa.pull.GatewayLog;
import kz.qaqpa.pull.PullClient;
import kz.qaqpa.pull.PullCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qaqpa audit verify}: checks the hash chain of the audit log; {@code qaqpa audit log verify}:
 * checks the blocklist's Merkle log from outside, as an auditor would.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Works with the audit log and the blocklist's Merkle log.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Log.class})
final class AuditCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Checks that no audit record was changed, removed or inserted; names the first broken one. "
                    + "Exit 0 when intact, 1 when broken. While the gateway runs on its embedded database, which "
                    + "only the gateway's process opens, ask it with --url.")
    static final class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        // Where the database is: the gateway's own settings (data-dir, db-url, db-user, db-password-file),
        // added from their declarations (Qaqpa.commandLine).

        @Option(names = "--url", paramLabel = "URL",
                description = "Ask the running gateway instead, e.g. http://127.0.0.1:8080 (its admin token: "
                        + "--admin-token-file, QAQPA_ADMIN_TOKEN, or DIR/admin-token).")
        String url;

        @Option(names = "--admin-token-file", paramLabel = "FILE", description = "The admin token, for --url.")
        Path adminTokenFile;

        @Override
        public Integer call() throws SQLException {
            Map<String, String> values = MatchedSettings.of(spec, List.of("--help", "--version", "--url", "--admin-token-file"));
            GatewayConfig config = ConfigResolver.resolve(new CommandLineSettings(Optional.empty(), values), System.getenv());
            AuditVerification result = url == null ? fromDatabase(config) : fromGateway(config);
            if (result.intact()) {
                spec.commandLine().getOut().println("audit log intact: " + result.records() + " record(s)");
                return 0;
            }
            spec.commandLine().getErr().println("qaqpa: audit log broken at record " + result.firstBroken().orElseThrow()
                    + ": " + result.reason());
            return Qaqpa.EXIT_FAILURE;
        }

        private AuditVerification fromDatabase(GatewayConfig config) throws SQLException {
            if (config.database().isEmbedded() && !Files.isDirectory(config.dataDir())) {
                throw new StartupException("there is no data directory " + config.dataDir(), null);
            }
            try (Database database = Database.open(config.database(), new SimpleMeterRegistry())) {
                return AuditLog.verify(database.dataSource());
            } catch (DatabaseUnavailableException e) {
                if (config.database().isEmbedded() && heldByAnotherProcess(e)) {
                    throw new StartupException("the running gateway holds the embedded database; ask it: "
                            + "qaqpa audit verify --url http://HOST:PORT", e);
                }
                throw new StartupException(e.getMessage(), e);
            }
        }

        private AuditVerification fromGateway(GatewayConfig config) {
            String token = Optional.ofNullable(System.getenv(ConfigResolver.environmentVariable("admin-token")))
                    .orElseGet(() -> readToken(adminTokenFile != null ? adminTokenFile : config.dataDir().resolve("admin-token")));
            HttpResponse<String> response;
            try {
                response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
                        HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/api/v1/audit/verification"))
                                .timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException | IllegalArgumentException e) {
                throw new StartupException("cannot ask the gateway at " + url + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("interrupted", e);
            }
            if (response.statusCode() != 200) {
                throw new StartupException("the gateway at " + url + " answered " + response.statusCode() + ": "
                        + response.body(), null);
            }
            JsonObject json = new JsonObject(response.body());
            return new AuditVerification(json.getLong("records"), Optional.ofNullable(json.getLong("firstBroken")),
                    json.getString("reason"));
        }

        /** H2's "database may be already in use" (90020): another process has the file open. */
        private static boolean heldByAnotherProcess(Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && sql.getErrorCode() == 90020) {
                    return true;
                }
            }
            return false;
        }

        private static String readToken(Path file) {
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                throw new StartupException("cannot read the admin token from " + file
                        + " (--admin-token-file, or QAQPA_ADMIN_TOKEN)", e);
            }
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true, description = "Checks the blocklist's Merkle log.",
            subcommands = {LogVerify.class, LogProve.class})
    static final class Log implements Runnable {

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getErr());
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Checks the gateway's latest signed tree head against its certificate and, with "
                    + "--since-sth, that its log extends the one in a head kept before (no change removed, "
                    + "altered or reordered). Needs no token: it reads the public log routes.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {
                "0:the head is the gateway's and fresh (and extends the kept one)",
                "4:the head is not signed by the gateway's certificate",
                "5:the gateway could not be reached or refused",
                "7:rollback or fork: the log is shorter than, or does not extend, the kept one",
                "8:the head has expired"})
    static final class LogVerify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--url", required = true, paramLabel = "URL", description = "The gateway, e.g. https://qaqpa.example.kz.")
        String url;

        @Option(names = "--gateway-certificate", required = true, paramLabel = "FILE",
                description = "The gateway's certificate (PEM), which signs the tree heads.")
        Path certificate;

        @Option(names = "--since-sth", paramLabel = "FILE", description = "A signed tree head kept before (as served).")
        Path since;

        @Option(names = "--keep-sth", paramLabel = "FILE",
                description = "Where to keep the head just verified, for the next --since-sth (may be the same file).")
        Path keep;

        @Override
        public Integer call() throws IOException, InterruptedException {
            GatewayLog log = new GatewayLog(new GatewayHttp(URI.create(url.replaceAll("/+$", "") + "/"), Optional.empty()),
                    PullCommand.certificate(spec, certificate), Clock.systemUTC(), "/public/v1/log");
            try {
                GatewayLog.Signed latest = log.latest();
                TreeHead head = latest.head();
                String extended = "";
                if (since != null) {
                    TreeHead kept = log.read(Files.readAllBytes(since));
                    log.checkExtends(kept.treeSize(), kept.root(), head);
                    extended = "; extends the log kept at size " + kept.treeSize() + " (issued " + kept.timestamp() + ")";
                }
                if (keep != null) {
                    Path part = keep.resolveSibling(keep.getFileName() + ".part");
                    Files.write(part, latest.cms());
                    Files.move(part, keep, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                spec.commandLine().getOut().println("log at size " + head.treeSize() + ", root " + head.rootHash()
                        + ", issued " + head.timestamp() + ", expires " + head.expires() + extended);
                return 0;
            } catch (PullClient.PullException e) {
                spec.commandLine().getErr().println("qaqpa: " + e.getMessage());
                return e.status();
            }
        }
    }

    @Command(name = "prove", mixinStandardHelpOptions = true,
            description = "Shows which set of targets was in force at a serial, proved: the leaves up to it, "
                    + "hashed here, begin the log of the gateway's latest signed head (a consistency proof), and "
                    + "replayed give the set. Needs a recipient's or the admin token (leaves name targets). Prints "
                    + "one target a line, with the directive it was enforced under.")
    static final class LogProve implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--url", required = true, paramLabel = "URL", description = "The gateway.")
        String url;

        @Option(names = "--gateway-certificate", required = true, paramLabel = "FILE",
                description = "The gateway's certificate (PEM), which signs the tree heads.")
        Path certificate;

        @Option(names = "--serial", required = true, paramLabel = "N", description = "The serial (the log's size) asked about.")
        long serial;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "File holding a recipient's or the admin token (or QAQPA_TOKEN; never on the command line).")
        Path tokenFile;

        @Override
        public Integer call() throws IOException, InterruptedException {
            GatewayLog log = new GatewayLog(new GatewayHttp(URI.create(url.replaceAll("/+$", "") + "/"),
                    Optional.of(PullCommand.token(spec, tokenFile))), PullCommand.certificate(spec, certificate),
                    Clock.systemUTC(), "/api/v1/log");
            try {
                TreeHead head = log.latest().head();
                SortedMap<String, String> set = log.setAt(serial, head);
                PrintWriter out = spec.commandLine().getOut();
                out.println("# the set in force at serial " + serial + ": " + set.size() + " target(s); proved against "
                        + "the head of size " + head.treeSize() + ", root " + head.rootHash() + ", issued " + head.timestamp());
                set.forEach((key, directive) -> out.println(key + "\t" + directive));
                out.flush();
                return 0;
            } catch (PullClient.PullException e) {
                spec.commandLine().getErr().println("qaqpa: " + e.getMessage());
                return e.status();
            }
        }
    }
}
