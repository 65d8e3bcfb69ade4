package kz.qaqpa.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG plots BENCHMARKS.md links to, drawn by XChart from the figures a benchmark has just measured. */
public final class Plots {

    private Plots() {
    }

    /** One line per series; x and y as given. */
    public record Series(String name, double[] x, double[] y) {
    }

    /**
     * The cumulative distribution of each sample set (milliseconds, sorted ascending): for each value,
     * the share of observations at or below it, with a vertical mark at {@code bar}.
     */
    public static Path distribution(Path file, String title, Map<String, List<Long>> sortedNanos, double barMillis)
            throws IOException {
        XYChart chart = chart(title, "milliseconds from the 201 to enforcement", "share of observations ≤ x");
        sortedNanos.forEach((name, values) -> {
            if (values.isEmpty()) {
                return;
            }
            double[] x = new double[values.size()];
            double[] y = new double[values.size()];
            for (int i = 0; i < values.size(); i++) {
                x[i] = values.get(i) / 1e6;
                y[i] = (i + 1) / (double) values.size();
            }
            chart.addSeries(name + " (" + values.size() + ")", x, y).setMarker(SeriesMarkers.NONE);
        });
        chart.addSeries("bar: " + barMillis + " ms", new double[] {barMillis, barMillis}, new double[] {0, 1})
                .setMarker(SeriesMarkers.NONE);
        return save(chart, file);
    }

    /** Lines with markers, x on a logarithmic axis (list sizes). */
    public static Path againstSize(Path file, String title, String yTitle, List<Series> series) throws IOException {
        XYChart chart = chart(title, "entries on the list", yTitle);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        for (Series line : series) {
            chart.addSeries(line.name(), line.x(), line.y()).setMarker(SeriesMarkers.CIRCLE);
        }
        return save(chart, file);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    private static Path save(XYChart chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
