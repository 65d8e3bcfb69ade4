package kz.qaqpa.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import kz.qaqpa.gateway.config.ConfigResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class QaqpaCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Qaqpa.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void helpListsTheGatewayCommand() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("gateway").contains("Usage: qaqpa");
    }

    @Test
    void everySettingIsAnOptionOfTheGatewayCommand() {
        List<String> options = Qaqpa.commandLine().getSubcommands().get("gateway").getCommandSpec()
                .options().stream().map(OptionSpec::longestName).toList();

        assertThat(options).containsAll(ConfigResolver.KEYS.stream()
                .map(key -> key.equals("filter-node") ? "--no-filter-node" : "--" + key).toList());
    }

    @Test
    void badPortIsOneLineNamingTheOptionAndNothingIsCreated() {
        Path dataDir = dir.resolve("data");

        int exit = run("gateway", "--data-dir", dataDir.toString(), "--http-port", "abc");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("qaqpa: ").contains("--http-port").contains("abc");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void unreadableConfigIsOneLineNamingTheOptionAndNothingIsCreated() {
        Path dataDir = dir.resolve("data");

        int exit = run("gateway", "--data-dir", dataDir.toString(), "--config", dir.resolve("absent.yaml").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().contains("--config").contains("absent.yaml");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void unknownOptionIsOneLine() {
        assertThat(run("gateway", "--htp-port", "1")).isEqualTo(2);

        assertThat(err.toString().lines()).singleElement().asString().contains("--htp-port");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);

        assertThat(err.toString()).contains("a command is required");
    }
}
