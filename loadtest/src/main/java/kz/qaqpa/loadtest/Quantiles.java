package kz.qaqpa.loadtest;

import java.util.List;

/** Nearest-rank quantiles of a sorted sample. */
public final class Quantiles {

    private Quantiles() {
    }

    /** The smallest value with at least {@code quantile} of the sample at or below it. */
    public static long of(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("no observations");
        }
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
