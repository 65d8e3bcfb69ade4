package kz.qaqpa.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.qaqpa.gateway.EmbeddedGateway;
import kz.qaqpa.gateway.TestGateways;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations pack in {@code ops/}: the alert rules pass {@code promtool check rules} and their
 * unit tests pass {@code promtool test rules} (Debian's {@code prometheus} package, installed by
 * {@code .ci/run}); every alert is shown firing there; and every metric and label value the rules
 * and the Grafana dashboard name is one a running gateway exports, so that no alert or panel
 * waits on a series that never comes.
 */
class OperationsPackTest {

    @RegisterExtension
    static final EmbeddedGateway GATEWAY = new EmbeddedGateway();

    private static final Path OPS = Path.of("..", "ops").toAbsolutePath().normalize();
    private static final Path RULES = OPS.resolve("prometheus/qaqpa-alerts.yml");
    private static final Path RULE_TESTS = OPS.resolve("prometheus/qaqpa-alerts-test.yml");
    private static final Path DASHBOARD = OPS.resolve("grafana/qaqpa-dashboard.json");
    private static final String PROMTOOL = "/usr/bin/promtool";

    /** Each exported metric name, with the {@code label=value} pairs its series carry. */
    private static Map<String, Set<String>> exported;

    @BeforeAll
    static void scrape() throws Exception {
        // The request timer's series exist once a request has been answered.
        TestGateways.send(GATEWAY.gateway(), "GET", "/health/live");
        exported = exposition(TestGateways.metrics(GATEWAY.gateway()));
    }

    @Test
    void promtoolFindsTheRulesValidAndTheirUnitTestsPass() throws Exception {
        Run check = promtool("check", "rules", RULES.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + alerts().size() + " rules found");

        Run test = promtool("test", "rules", RULE_TESTS.toString());
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertIsShownFiringAndSilentInTheUnitTests() throws IOException {
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (JsonNode test : new YAMLMapper().readTree(RULE_TESTS.toFile()).path("tests")) {
            for (JsonNode expectation : test.path("alert_rule_test")) {
                (expectation.path("exp_alerts").isEmpty() ? silent : firing).add(expectation.path("alertname").asText());
            }
        }
        assertThat(firing).containsExactlyInAnyOrderElementsOf(alerts());
        assertThat(silent).containsExactlyInAnyOrderElementsOf(alerts());
    }

    @Test
    void everyMetricAndLabelValueTheAlertsNameIsExported() throws IOException {
        List<String> expressions = new ArrayList<>();
        for (JsonNode group : new YAMLMapper().readTree(RULES.toFile()).path("groups")) {
            group.path("rules").forEach(rule -> expressions.add(rule.path("expr").asText()));
        }
        assertThat(expressions).hasSize(alerts().size());
        assertThat(missing(expressions)).isEmpty();
    }

    @Test
    void everyMetricAndLabelValueTheDashboardNamesIsExported() throws IOException {
        assertThat(dashboardExpressions()).hasSizeGreaterThan(20);
        assertThat(missing(dashboardExpressions())).isEmpty();
    }

    @Test
    void promtoolParsesEveryDashboardExpression(@TempDir Path dir) throws Exception {
        // promtool has no command that parses an expression alone; a recording rule per panel query does it.
        ObjectMapper json = new ObjectMapper();
        ObjectNode file = json.createObjectNode();
        ArrayNode rules = file.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
        List<String> expressions = dashboardExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            rules.addObject().put("record", "dashboard:query_" + i).put("expr", expressions.get(i));
        }
        Path asRules = dir.resolve("dashboard-rules.yml"); // JSON is YAML
        json.writeValue(asRules.toFile(), file);

        Run check = promtool("check", "rules", asRules.toString());

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + expressions.size() + " rules found");
    }

    @Test
    void aNameOrLabelValueNobodyExportsIsCaught() {
        // The check above is only worth something if it can fail: a misspelt metric, a flag no node
        // has, and a wrong alternative in a regular expression are each reported.
        assertThat(missing(List.of(
                "sum by (instance) (rate(qaqpa_dns_answer_total[5m])) > 0",
                "qaqpa_filter_nodes{flag=\"COMPROMISED\"} > 0",
                "qaqpa_dns_answers_total{answer=~\"relayed|upstream_timedout\"}",
                "qaqpa_ready{check=\"publishing\"} == 0 and on (instance) qaqpa_alarm{alarm=\"calendar\"} == 1")))
                .containsExactly("qaqpa_dns_answer_total", "qaqpa_filter_nodes{flag=\"COMPROMISED\"}",
                        "qaqpa_dns_answers_total{answer=\"upstream_timedout\"}");
    }

    private static List<String> alerts() throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode group : new YAMLMapper().readTree(RULES.toFile()).path("groups")) {
            group.path("rules").forEach(rule -> names.add(rule.path("alert").asText()));
        }
        assertThat(names).doesNotContain("").doesNotHaveDuplicates();
        return names;
    }

    private static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
            panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
        }
        assertThat(expressions).doesNotContain("");
        return expressions;
    }

    // --- what the expressions name, and what the gateway exports

    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]|\\boffset\\s+\\S+");
    /** A metric name with its matchers, not a function (followed by a parenthesis) nor part of a number. */
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][\\w:]*)(?![\\w:])\\s*(\\{[^}]*\\})?(?!\\s*\\()");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "inf", "nan");

    /**
     * What the expressions name that the gateway does not export: a metric name, or a
     * {@code name{label="value"}} no series has (for {@code =~}, each alternative of a plain list).
     */
    static List<String> missing(List<String> expressions) {
        Set<String> missing = new LinkedHashSet<>();
        for (String expression : expressions) {
            String bare = RANGE.matcher(GROUPING.matcher(expression).replaceAll(" ")).replaceAll("");
            Matcher selector = SELECTOR.matcher(bare);
            while (selector.find()) {
                String name = selector.group(1);
                if (KEYWORDS.contains(name.toLowerCase())) {
                    continue;
                }
                Set<String> labels = exported.get(name);
                if (labels == null) {
                    missing.add(name);
                    continue;
                }
                if (selector.group(2) == null) {
                    continue;
                }
                Matcher matcher = MATCHER.matcher(selector.group(2));
                while (matcher.find()) {
                    List<String> values = switch (matcher.group(2)) {
                        case "=" -> List.of(matcher.group(3));
                        case "=~" -> matcher.group(3).matches("[\\w|]+") ? List.of(matcher.group(3).split("\\|")) : List.of();
                        default -> List.of();
                    };
                    for (String value : values) {
                        if (!labels.contains(matcher.group(1) + "=" + value)) {
                            missing.add(name + "{" + matcher.group(1) + "=\"" + value + "\"}");
                        }
                    }
                }
            }
        }
        return List.copyOf(missing);
    }

    /** The exposition format: {@code name{label="value",…} number} per line, comments aside. */
    private static Map<String, Set<String>> exposition(String scrape) {
        Pattern line = Pattern.compile("^([a-zA-Z_:][\\w:]*)(\\{.*\\})?\\s+\\S+.*$");
        Pattern label = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
        Map<String, Set<String>> series = new HashMap<>();
        for (String text : scrape.split("\n")) {
            Matcher sample = line.matcher(text);
            if (text.startsWith("#") || !sample.matches()) {
                continue;
            }
            Set<String> labels = series.computeIfAbsent(sample.group(1), name -> new HashSet<>());
            if (sample.group(2) != null) {
                Matcher pair = label.matcher(sample.group(2));
                while (pair.find()) {
                    labels.add(pair.group(1) + "=" + pair.group(2));
                }
            }
        }
        assertThat(series).containsKeys("qaqpa_filter_nodes", "qaqpa_dns_answers_total", "jvm_memory_used_bytes");
        return series;
    }

    private record Run(int exit, String output) {
    }

    private static Run promtool(String... arguments) throws IOException, InterruptedException {
        assertThat(Path.of(PROMTOOL)).as("promtool (Debian package prometheus; .ci/run installs it)").isExecutable();
        List<String> command = new ArrayList<>(List.of(PROMTOOL));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
