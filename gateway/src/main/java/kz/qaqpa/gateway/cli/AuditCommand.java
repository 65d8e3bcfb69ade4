package kz.qaqpa.gateway.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.audit.AuditVerification;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseUnavailableException;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.config.CommandLineSettings;
import kz.qaqpa.gateway.config.ConfigResolver;
import kz.qaqpa.gateway.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qaqpa audit verify}: checks the hash chain of the audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Works with the audit log.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Checks that no audit record was changed, removed or inserted; names the first broken one. "
                    + "Exit 0 when intact, 1 when broken.")
    static final class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "The embedded database's data directory (default ./data).")
        String dataDir;

        @Option(names = "--db-url", paramLabel = "URL", description = "PostgreSQL JDBC URL instead.")
        String dbUrl;

        @Option(names = "--db-user", paramLabel = "USER")
        String dbUser;

        @Option(names = "--db-password", paramLabel = "PASSWORD", description = "Prefer QAQPA_DB_PASSWORD.")
        String dbPassword;

        @Override
        public Integer call() throws SQLException {
            Map<String, String> values = MatchedSettings.of(spec, List.of("--help", "--version"));
            GatewayConfig config = ConfigResolver.resolve(new CommandLineSettings(Optional.empty(), values), System.getenv());
            if (config.database().isEmbedded() && !Files.isDirectory(config.dataDir())) {
                throw new StartupException("there is no data directory " + config.dataDir(), null);
            }
            AuditVerification result;
            try (Database database = Database.open(config.database(), new SimpleMeterRegistry())) {
                result = AuditLog.verify(database.dataSource());
            } catch (DatabaseUnavailableException e) {
                throw new StartupException(e.getMessage(), e);
            }
            if (result.intact()) {
                spec.commandLine().getOut().println("audit log intact: " + result.records() + " record(s)");
                return 0;
            }
            spec.commandLine().getErr().println("qaqpa: audit log broken at record " + result.firstBroken().orElseThrow()
                    + ": " + result.reason());
            return Qaqpa.EXIT_FAILURE;
        }
    }
}
