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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qaqpa gateway}: runs the gateway until SIGTERM or Ctrl+C. With no options it runs the
 * embedded mode: H2 in {@code ./data}, a Hazelcast member alone on loopback, HTTP on 8080.
 *
 * <p>Its options are the settings ({@code Settings.ALL}), added as text and parsed by
 * {@link ConfigResolver}, so that a value given on the command line, in the environment or in the
 * YAML file is checked, and reported, the same way.
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

    @Option(names = "--no-filter-node", description = "Do not run the in-process DNS filtering node.")
    boolean noFilterNode;

    // Every other option is a setting, added from its declaration (SettingOptions).
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
