package kz.qaqpa.gateway.console;

import java.util.ArrayList;
import java.util.List;

/**
 * Bar charts drawn on the server as SVG (no script, no CDN): the geometry is computed here from the
 * data, and {@code console/bars.jte} writes it out, escaping every label. A chart keeps its data
 * ({@link Chart#bars}) so that tests check the numbers, not the pixels.
 */
public final class Charts {

    static final int WIDTH = 640;
    static final int HEIGHT = 180;
    private static final int AXIS = 24;
    private static final int TOP = 16;

    /** A bar as drawn: where, how tall, the label and value it stands for, and the caption shown under it. */
    public record Shape(int x, int y, int width, int height, String label, long value, String caption, boolean labelled) {
    }

    /** A chart: its title, its data, and the shapes that draw it. */
    public record Chart(String title, List<ConsoleData.Bar> bars, List<Shape> shapes, long max, int width, int height) {
    }

    private Charts() {
    }

    /** Bars of {@code data}, each captioned as {@code caption} writes its label for the reader. */
    public static Chart bars(List<ConsoleData.Bar> data, String title, java.util.function.UnaryOperator<String> caption) {
        long max = Math.max(1, data.stream().mapToLong(ConsoleData.Bar::value).max().orElse(0));
        int slot = data.isEmpty() ? WIDTH : WIDTH / data.size();
        int plot = HEIGHT - AXIS - TOP;
        // Every label when they fit, else about eight of them.
        int every = Math.max(1, (int) Math.ceil(data.size() / 8.0));
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            ConsoleData.Bar bar = data.get(i);
            int height = (int) Math.round((double) bar.value() / max * plot);
            shapes.add(new Shape(i * slot + 2, TOP + plot - height, Math.max(1, slot - 4), height, bar.label(), bar.value(),
                    caption.apply(bar.label()), i % every == 0));
        }
        return new Chart(title, List.copyOf(data), shapes, max, WIDTH, HEIGHT);
    }
}
