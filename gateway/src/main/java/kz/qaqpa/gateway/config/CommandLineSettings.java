package kz.qaqpa.gateway.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What was given on the command line: setting key (the option name without {@code --}) to its raw
 * text, and the configuration file, if any. Raw text so that every source is parsed, checked and
 * reported the same way.
 */
public record CommandLineSettings(Optional<Path> configFile, Map<String, String> values) {

    public CommandLineSettings {
        values = Map.copyOf(values);
    }

    public static CommandLineSettings none() {
        return new CommandLineSettings(Optional.empty(), Map.of());
    }
}
