package kz.qaqpa.loadtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A benchmark's {@code --name value} options. exec:exec hands {@code -Dargs} over as one argument,
 * so every argument is split on white space first. An option the benchmark does not know is an error,
 * not silently ignored: a typo must not produce a run of the wrong size.
 */
public final class Options {

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    public static Options parse(String[] args, String... known) {
        List<String> words = new ArrayList<>();
        for (String arg : args) {
            if (!arg.isBlank()) {
                words.addAll(List.of(arg.trim().split("\\s+")));
            }
        }
        if (words.size() % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value; got " + words);
        }
        Set<String> names = Set.of(known);
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < words.size(); i += 2) {
            if (!names.contains(words.get(i))) {
                throw new IllegalArgumentException("unknown option " + words.get(i) + "; known: " + names);
            }
            values.put(words.get(i), words.get(i + 1));
        }
        return new Options(values);
    }

    public String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name).replace("_", "")) : fallback;
    }
}
