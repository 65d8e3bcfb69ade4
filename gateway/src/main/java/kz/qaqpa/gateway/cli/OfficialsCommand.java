package kz.qaqpa.gateway.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import kz.qaqpa.directives.access.Official;
import kz.qaqpa.directives.access.OfficialRole;
import kz.qaqpa.directives.access.Officials;
import kz.qaqpa.directives.audit.Actor;
import kz.qaqpa.directives.audit.AuditLog;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.directives.store.DatabaseUnavailableException;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.config.CommandLineSettings;
import kz.qaqpa.gateway.config.ConfigException;
import kz.qaqpa.gateway.config.ConfigResolver;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.config.Setting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qaqpa officials}: the officials' accounts, on the gateway's database — how the first
 * administrator is made (no account exists by default), and how an administrator who cannot reach
 * the console works. Each change is written to the audit log as {@code cli:USER} from {@code local}.
 * The embedded database is open to one process at a time: stop the gateway first, or use the
 * console or {@code /api/v1/officials} while it runs.
 */
@Command(name = "officials", mixinStandardHelpOptions = true,
        description = "Adds and changes the accounts of the authorised body's officials.",
        subcommands = {OfficialsCommand.Add.class, OfficialsCommand.ListAll.class, OfficialsCommand.Token.class,
            OfficialsCommand.Reset.class, OfficialsCommand.Disable.class})
final class OfficialsCommand implements Runnable {

    /** The settings every subcommand takes: where the database is (Qaqpa.commandLine adds them). */
    static final Set<Setting<?>> DATABASE = Set.of(GatewayConfig.DATA_DIR, GatewayConfig.DB_URL, GatewayConfig.DB_USER,
            GatewayConfig.DB_PASSWORD, GatewayConfig.DB_PASSWORD_FILE);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** What every subcommand shares: opening the register on the configured database. */
    @Command
    abstract static class OnDatabase implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        // Where the database is: the gateway's own settings (data-dir, db-url, db-user, db-password-file),
        // added from their declarations (Qaqpa.commandLine).

        abstract List<String> ownOptions();

        abstract Integer with(Officials officials, Actor actor, PrintWriter out);

        @Override
        public Integer call() {
            GatewayConfig config = ConfigResolver.resolve(new CommandLineSettings(Optional.empty(),
                    MatchedSettings.of(spec, ownOptions())), System.getenv());
            if (config.database().isEmbedded() && !Files.isDirectory(config.dataDir())) {
                throw new StartupException("there is no data directory " + config.dataDir()
                        + " (start the gateway once, or give --data-dir)", null);
            }
            try (Database database = Database.open(config.database(), new SimpleMeterRegistry())) {
                Clock clock = Clock.systemUTC();
                Actor actor = new Actor("cli:" + System.getProperty("user.name", "unknown"), "local");
                return with(new Officials(database, new AuditLog(clock), clock), actor, spec.commandLine().getOut());
            } catch (DatabaseUnavailableException e) {
                throw new StartupException(e.getMessage() + (config.database().isEmbedded()
                        ? " (is the gateway running? the embedded database is open to one process at a time)" : ""), e);
            } catch (Officials.RefusedChangeException e) {
                throw new ConfigException(e.getMessage());
            }
        }

        /** The password from {@code file}, or one line from standard input. */
        static char[] password(Optional<Path> file) {
            try {
                String text = file.isPresent() ? Files.readString(file.get())
                        : Optional.ofNullable(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                                .readLine()).orElse("");
                return text.strip().toCharArray();
            } catch (IOException e) {
                throw new StartupException("cannot read the password: " + e.getMessage(), e);
            }
        }

        static void printEnrolment(PrintWriter out, Officials.Enrolment enrolment) {
            out.println("official " + enrolment.official().name() + ": " + OfficialRole.column(enrolment.official().roles()));
            out.println("code secret (enter it in the authenticator app; shown once): " + enrolment.totpSecret());
            out.println("enrolment link (as a QR code for the app): " + enrolment.totpLink());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds an official with roles, a password (from --password-file, or one line of standard "
                    + "input) and a new code secret, which it prints once.")
    static final class Add extends OnDatabase {

        @Parameters(index = "0", paramLabel = "NAME", description = "a-z first, then a-z 0-9 . _ -; also the CN of its certificate")
        String name;

        @Option(names = "--display-name", required = true, paramLabel = "TEXT", description = "The official's full name.")
        String displayName;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "ISSUER, REVIEWER, RECIPIENT_REGISTRAR, AUDITOR or ADMINISTRATOR; repeat for several.")
        List<String> roles;

        @Option(names = "--password-file", paramLabel = "FILE", description = "The initial password (else standard input).")
        Path passwordFile;

        @Override
        List<String> ownOptions() {
            return List.of("--help", "--version", "--display-name", "--role", "--password-file");
        }

        @Override
        Integer with(Officials officials, Actor actor, PrintWriter out) {
            Set<OfficialRole> parsed = EnumSet.noneOf(OfficialRole.class);
            for (String role : roles) {
                try {
                    parsed.add(OfficialRole.named(role.strip().toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("--role: " + e.getMessage());
                }
            }
            printEnrolment(out, officials.add(name, displayName, parsed, password(Optional.ofNullable(passwordFile)), actor));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the officials and their roles.")
    static final class ListAll extends OnDatabase {

        @Override
        List<String> ownOptions() {
            return List.of("--help", "--version");
        }

        @Override
        Integer with(Officials officials, Actor actor, PrintWriter out) {
            Function<Official, String> state = o -> o.disabled() ? "disabled"
                    : o.lockedUntil().map(until -> "locked until " + until).orElse("active");
            officials.list().forEach(o -> out.println(o.name() + "\t" + OfficialRole.column(o.roles()) + "\t"
                    + state.apply(o) + "\t" + o.displayName()));
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Issues the official a new API token (the previous one stops working) and prints it once.")
    static final class Token extends OnDatabase {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        List<String> ownOptions() {
            return List.of("--help", "--version");
        }

        @Override
        Integer with(Officials officials, Actor actor, PrintWriter out) {
            out.println(officials.issueToken(name, actor));
            return 0;
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Gives the official a new password (from --password-file or standard input) and code secret; "
                    + "unlocks it and ends its sessions.")
    static final class Reset extends OnDatabase {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--password-file", paramLabel = "FILE", description = "The new password (else standard input).")
        Path passwordFile;

        @Override
        List<String> ownOptions() {
            return List.of("--help", "--version", "--password-file");
        }

        @Override
        Integer with(Officials officials, Actor actor, PrintWriter out) {
            printEnrolment(out, officials.resetCredentials(name, password(Optional.ofNullable(passwordFile)), actor));
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disables the official: its sessions end, its token and certificate stop working.")
    static final class Disable extends OnDatabase {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        List<String> ownOptions() {
            return List.of("--help", "--version");
        }

        @Override
        Integer with(Officials officials, Actor actor, PrintWriter out) {
            Official changed = officials.change(name, Optional.empty(), Optional.of(true), actor);
            out.println("official " + changed.name() + " disabled");
            return 0;
        }
    }
}
