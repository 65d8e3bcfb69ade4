package kz.qaqpa.gateway.cli;

import java.io.PrintWriter;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.config.ConfigException;
import kz.qaqpa.gateway.config.FilterNodeSettings;
import kz.qaqpa.gateway.config.Setting;
import kz.qaqpa.pull.PullCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code qaqpa} command: one executable for the gateway and the tools around it.
 *
 * <p>Exit codes: 0 done, 1 could not start or run, 2 bad usage or configuration. An error is
 * reported as one line on standard error, {@code qaqpa: …}, that names the option at fault.
 */
@Command(name = "qaqpa",
        mixinStandardHelpOptions = true,
        versionProvider = Qaqpa.Version.class,
        description = "Qaqpa (қақпа): the gateway between the authorised body that restricts and restores "
                + "access to internet resources and the operators that enforce it.",
        subcommands = {GatewayCommand.class, FilterNodeCommand.class, SignCommand.class, SubmitCommand.class, PullCommand.class, AuditCommand.class,
            OfficialsCommand.class,
            CommandLine.HelpCommand.class})
public final class Qaqpa implements Runnable {

    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        if (args.length == 0 || !(args[0].equals("gateway") || args[0].equals("filter-node"))) {
            // Tools print their results, not the libraries' progress.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with Qaqpa's error reporting, for {@link #main} and for tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Qaqpa());
        // --no-filter-node, not --filter-node: the gateway runs its node unless told not to.
        SettingOptions.addTo(commandLine.getSubcommands().get("gateway").getCommandSpec(),
                setting -> setting != FilterNodeSettings.ENABLED);
        SettingOptions.addTo(commandLine.getSubcommands().get("filter-node").getCommandSpec(), Setting::filterNode);
        SettingOptions.addTo(commandLine.getSubcommands().get("audit").getSubcommands().get("verify").getCommandSpec(),
                OfficialsCommand.DATABASE::contains);
        commandLine.getSubcommands().get("officials").getSubcommands().values().forEach(sub ->
                SettingOptions.addTo(sub.getCommandSpec(), OfficialsCommand.DATABASE::contains));
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("qaqpa: " + e.getMessage()
                    + " (see: qaqpa " + e.getCommandLine().getCommandName() + " --help)");
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof ConfigException) {
                err.println("qaqpa: " + e.getMessage());
                return EXIT_USAGE;
            }
            if (e instanceof StartupException) {
                err.println("qaqpa: " + e.getMessage());
                return EXIT_FAILURE;
            }
            throw e;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** The version from the jar manifest; "development" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Qaqpa.class.getPackage().getImplementationVersion();
            return new String[] {"qaqpa " + (version == null ? "development" : version)};
        }
    }
}
