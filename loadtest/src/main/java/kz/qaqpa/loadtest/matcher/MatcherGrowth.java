package kz.qaqpa.loadtest.matcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kz.qaqpa.loadtest.Options;
import kz.qaqpa.loadtest.Plots;

/**
 * How the matcher's cost grows with the list: look-ups per second per core from a JMH run of
 * {@link MatcherBenchmark} (its JSON result file), heap bytes per entry measured here at the same
 * sizes ({@link MatcherFootprint}'s method). Prints one table and draws both against the list size.
 *
 * <p>{@code java -cp … org.openjdk.jmh.Main MatcherBenchmark -rf json -rff matcher.json}, then
 * {@code mvn -q -pl loadtest exec:exec -Dheap=4g -Dbenchmark=kz.qaqpa.loadtest.matcher.MatcherGrowth -Dargs="--jmh matcher.json --out DIR"}
 */
public final class MatcherGrowth {

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, "--jmh", "--out");
        Path out = Path.of(options.text("--out", "target/benchmarks")).toAbsolutePath();
        JsonArray runs = new JsonArray(Files.readString(Path.of(options.text("--jmh", "matcher.json"))));

        Map<String, TreeMap<Integer, double[]>> byVariant = new TreeMap<>();
        for (Object run : runs) {
            JsonObject result = (JsonObject) run;
            String benchmark = result.getString("benchmark");
            String variant = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            int entries = Integer.parseInt(result.getJsonObject("params").getString("entries"));
            JsonObject metric = result.getJsonObject("primaryMetric");
            byVariant.computeIfAbsent(variant, v -> new TreeMap<>())
                    .put(entries, new double[] {number(metric.getValue("score")), number(metric.getValue("scoreError"))});
        }
        TreeMap<Integer, Double> bytesPerEntry = new TreeMap<>();
        for (Map<Integer, double[]> sizes : byVariant.values()) {
            for (int entries : sizes.keySet()) {
                bytesPerEntry.computeIfAbsent(entries, MatcherGrowth::bytesPerEntry);
            }
        }

        System.out.println("| entries | variant | look-ups/s (one core) | ± (99.9 %) | heap bytes per entry |");
        System.out.println("|---|---|---|---|---|");
        List<Plots.Series> speed = new ArrayList<>();
        byVariant.forEach((variant, sizes) -> {
            sizes.forEach((entries, score) -> System.out.printf("| %,d | %s | %.2f M | %.2f M | %.1f |%n", entries, variant,
                    score[0] / 1e6, score[1] / 1e6, bytesPerEntry.get(entries)));
            speed.add(new Plots.Series(variant, sizes.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                    sizes.values().stream().mapToDouble(score -> score[0] / 1e6).toArray()));
        });
        double[] sizes = bytesPerEntry.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
        speed.add(new Plots.Series("bar: 10 M at 1,000,000", new double[] {sizes[0], sizes[sizes.length - 1]},
                new double[] {10, 10}));
        System.out.println("plot: " + Plots.againstSize(out.resolve("matcher-lookups.png"),
                "Matcher look-ups per second (one core) against list size", "million look-ups per second", speed));
        System.out.println("plot: " + Plots.againstSize(out.resolve("matcher-bytes.png"),
                "Matcher heap bytes per entry against list size", "bytes per entry", List.of(
                        new Plots.Series("heap bytes per entry", sizes,
                                bytesPerEntry.values().stream().mapToDouble(Double::doubleValue).toArray()),
                        new Plots.Series("bar: 64", new double[] {sizes[0], sizes[sizes.length - 1]}, new double[] {64, 64}))));
    }

    /** JMH writes "NaN" as a string, for example the error of a single iteration. */
    private static double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : Double.parseDouble(String.valueOf(value));
    }

    private static double bytesPerEntry(int entries) {
        try {
            long before = MatcherFootprint.settledHeap();
            var matcher = SyntheticBlocklist.build(entries);
            long after = MatcherFootprint.settledHeap();
            if (matcher.domainCount() != entries) {
                throw new IllegalStateException("built " + matcher.domainCount());
            }
            return (after - before) / (double) entries;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
