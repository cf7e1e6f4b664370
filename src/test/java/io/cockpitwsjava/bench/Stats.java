package io.cockpitwsjava.bench;

import java.util.Arrays;
import java.util.List;

/** Order statistics of a sample (nearest-rank percentiles, as a reader would compute them by hand). */
record Stats(double[] sorted) {

    static Stats of(List<? extends Number> values) {
        double[] a = values.stream().mapToDouble(Number::doubleValue).toArray();
        Arrays.sort(a);
        return new Stats(a);
    }

    int count() {
        return sorted.length;
    }

    double median() {
        return percentile(50);
    }

    /** Nearest-rank percentile; NaN for an empty sample. */
    double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }
}
