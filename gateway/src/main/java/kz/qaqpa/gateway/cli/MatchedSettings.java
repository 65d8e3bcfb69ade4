package kz.qaqpa.gateway.cli;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The settings given on a command line, by key: each matched option is a setting of the same name
 * without {@code --} (see ConfigResolver), its raw text parsed and reported there like any other.
 */
final class MatchedSettings {

    private MatchedSettings() {
    }

    /** Matched options except {@code ignored} ones (such as --help), as setting key to text. */
    static Map<String, String> of(CommandSpec spec, Collection<String> ignored) {
        Map<String, String> values = new HashMap<>();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (!ignored.contains(option.longestName())) {
                Object value = option.getValue();
                String text = value instanceof List<?> list
                        ? String.join(",", list.stream().map(String::valueOf).toList())
                        : String.valueOf(value);
                values.put(option.longestName().substring(2), text);
            }
        }
        return values;
    }
}
