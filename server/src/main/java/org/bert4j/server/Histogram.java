package org.bert4j.server;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram: counts of observations at or below each bucket's upper bound, their sum and count,
 * rendered in the text exposition format ({@code name_bucket{le="..."}}, {@code name_sum}, {@code name_count}).
 * Safe to observe from many threads; a scrape may see an observation in the count but not yet in a bucket.
 */
final class Histogram {

    private final double[] bounds;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder count = new LongAdder();

    /** A histogram with these increasing upper bounds (+Inf is implied). */
    Histogram(double... bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must increase");
            }
        }
        this.bounds = bounds.clone();
        this.counts = new LongAdder[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Seconds from 1 ms to 60 s: request and inference durations. */
    static Histogram seconds() {
        return new Histogram(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
    }

    /** Powers of two from 1 to {@code max}: batch sizes in sequences or tokens. */
    static Histogram powersOfTwo(int max) {
        int n = 32 - Integer.numberOfLeadingZeros(Math.max(1, max));
        double[] bounds = new double[n];
        for (int i = 0; i < n; i++) {
            bounds[i] = 1L << i;
        }
        return new Histogram(bounds);
    }

    void observe(double value) {
        // Only the first bucket that holds the value is counted: rendering accumulates them.
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                counts[i].increment();
                break;
            }
        }
        sum.add(value);
        count.increment();
    }

    long count() {
        return count.sum();
    }

    /** Appends this histogram's lines; {@code labels} is empty or {@code key="value",...} without braces. */
    void render(StringBuilder out, String name, String labels) {
        String prefix = labels.isEmpty() ? "" : labels + ",";
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i].sum();
            out.append(name).append("_bucket{").append(prefix).append("le=\"").append(number(bounds[i])).append("\"} ")
                    .append(cumulative).append('\n');
        }
        long total = count.sum();
        out.append(name).append("_bucket{").append(prefix).append("le=\"+Inf\"} ").append(Math.max(total, cumulative))
                .append('\n');
        String braces = labels.isEmpty() ? "" : "{" + labels + "}";
        out.append(name).append("_sum").append(braces).append(' ').append(number(sum.sum())).append('\n');
        out.append(name).append("_count").append(braces).append(' ').append(Math.max(total, cumulative)).append('\n');
    }

    /** A sample value as Prometheus parses it (Go's ParseFloat reads Java's "2.5E-4" too). */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
