package io.aegis.bench;

import java.util.Arrays;
import java.util.Locale;

/** Latencies of one scenario and their percentiles (nearest rank), in milliseconds. */
public record Latencies(int count, double p50, double p90, double p99, double max) {

    public static Latencies of(long[] nanos) {
        if (nanos.length == 0) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted.length, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.90)), ms(rank(sorted, 0.99)),
                ms(sorted[sorted.length - 1]));
    }

    /** The smallest value at least {@code fraction} of all values are at or below. */
    static long rank(long[] sorted, double fraction) {
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    public String format() {
        return String.format(Locale.ROOT, "n=%d  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms",
                count, p50, p90, p99, max);
    }
}
