package kz.qaqpa.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is what operators read: it lists every setting the gateway
 * takes ({@link Settings#ALL}, the declarations), once and in their order, with the environment
 * variable that sets it — and nothing the gateway does not take.
 */
class ReadmeSettingsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void theConfigurationTableListsExactlyTheSettingsWithTheirEnvironmentVariables() throws IOException {
        List<String> keys = new ArrayList<>();
        Set<String> variables = new LinkedHashSet<>();
        for (String row : table()) {
            String[] cells = row.split("\\|");
            keys.addAll(code(cells[1]));
            variables.addAll(code(cells[2]));
        }

        assertThat(keys).as("README keys").doesNotHaveDuplicates()
                .containsExactlyElementsOf(Settings.ALL.stream().map(Setting::key).toList());
        for (Setting<?> setting : Settings.ALL) {
            String variable = setting.environmentVariable();
            assertThat(variables).as("the environment variable of %s", setting.key())
                    .anyMatch(written -> written.equals(variable)
                            || written.endsWith("…") && variable.startsWith(written.substring(0, written.length() - 1)));
        }
    }

    /** The rows of the table headed {@code | key | environment | default | meaning |}. */
    private static List<String> table() throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int header = lines.indexOf("| key | environment | default | meaning |");
        assertThat(header).as("the configuration table's header").isNotNegative();
        List<String> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            rows.add(lines.get(i));
        }
        return rows;
    }

    private static List<String> code(String cell) {
        List<String> found = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            found.add(code.group(1));
        }
        return found;
    }
}
