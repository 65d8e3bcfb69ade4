package kz.qaqpa.gateway.config;

import java.util.Optional;
import java.util.function.Function;

/**
 * One setting, declared once, beside the settings record it fills: its key (the YAML key,
 * {@code --KEY} on the command line, {@code QAQPA_KEY} in the environment), how its text is read,
 * its default, what it means, and whether it is a secret. The command-line options, the keys a
 * configuration file may hold, the environment variables and the README's configuration table all
 * come from, or are checked against, these declarations ({@link Settings#ALL}).
 *
 * @param key        the YAML key; {@code --key} on the command line
 * @param label      what the value looks like in the options' help ({@code PORT}, {@code DURATION})
 * @param help       what it means, with its default when it has one
 * @param parser     reads a value from its text; an {@link IllegalArgumentException} says what is wrong
 * @param defaults   the value when none is given, if there is one
 * @param secret     never taken from the command line, where every user of the host reads it
 *                   ({@code ps}); given in the environment, the file, or the file {@code KEY-file} names
 * @param filterNode an option of {@code qaqpa filter-node} too, not only of {@code qaqpa gateway}
 */
public record Setting<T>(String key, String label, String help, Function<String, T> parser, Optional<T> defaults,
                         boolean secret, boolean filterNode) {

    /** A setting with a default, written as a user would write it: parsed like any given value. */
    static <T> Setting<T> of(String key, String label, Function<String, T> parser, String defaultText, String help) {
        return new Setting<>(key, label, stripStop(help) + " (default " + defaultText + ").", parser,
                Optional.of(parser.apply(defaultText)), false, false);
    }

    /** A setting whose default is not a value one would write (a list, a computed one); {@code help} says it. */
    static <T> Setting<T> withDefault(String key, String label, Function<String, T> parser, T defaultValue, String help) {
        return new Setting<>(key, label, help, parser, Optional.of(defaultValue), false, false);
    }

    /** A setting without a default: absent unless given. */
    static <T> Setting<T> optional(String key, String label, Function<String, T> parser, String help) {
        return new Setting<>(key, label, help, parser, Optional.empty(), false, false);
    }

    /** A secret: refused on the command line, naming the environment variable and {@code --KEY-file} instead. */
    static Setting<String> secret(String key) {
        return new Setting<>(key, "", "", text -> text, Optional.empty(), true, false);
    }

    /** The same setting, an option of {@code qaqpa filter-node} as well. */
    Setting<T> alsoForFilterNode() {
        return new Setting<>(key, label, help, parser, defaults, secret, true);
    }

    /** Its default value. @throws IllegalStateException when it has none */
    public T defaultValue() {
        return defaults.orElseThrow(() -> new IllegalStateException(key + " has no default"));
    }

    /** Its environment variable: {@code http-port} → {@code QAQPA_HTTP_PORT}. */
    public String environmentVariable() {
        return ConfigResolver.environmentVariable(key);
    }

    private static String stripStop(String text) {
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
