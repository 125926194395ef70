package org.bert4j.engine.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which backend the {@code auto} GEMM gives each call: per weight shape (out × in), the Java GEMM below a number of
 * rows and OpenBLAS from there on. The line is drawn from {@link Timing timings} of both backends on that shape at
 * a few row counts ({@link BackendTiming} measures them), or fixed for every shape ({@link #fixed}). Immutable: a
 * model's calls of the same shape and size always go to the same backend.
 */
public final class BackendChoice {

    /** The row counts timed: one short text (16 tokens), a few short ones, one 256-token text, a batch, a big batch. */
    public static final int[] ROWS = {16, 64, 256, 1024, 4096};

    /**
     * How much slower than OpenBLAS the Java GEMM may be at a size and still get it: within measurement noise, the
     * Java GEMM keeps the call (its panels are packed already, and its results do not depend on OpenBLAS's build).
     */
    static final double TIE = 1.03;

    /** Timings of one weight shape: rows[i] rows took java[i] and openBlas[i] nanoseconds (the best of a few runs). */
    public record Timing(int out, int in, int[] rows, long[] java, long[] openBlas) {
        public Timing {
            if (rows.length == 0 || rows.length != java.length || rows.length != openBlas.length) {
                throw new IllegalArgumentException("a timing needs as many java and openblas times as row counts");
            }
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] <= 0 || (i > 0 && rows[i] <= rows[i - 1]) || java[i] <= 0 || openBlas[i] <= 0) {
                    throw new IllegalArgumentException("row counts must increase and times be positive: "
                            + Arrays.toString(rows) + ", " + Arrays.toString(java) + ", " + Arrays.toString(openBlas));
                }
            }
        }

        /** "1152x384", the shape's key. */
        public String shape() {
            return key(out, in);
        }

        /**
         * The number of rows from which OpenBLAS multiplies: of the lines below each timed size (and "never"), the
         * one that loses the least time summed over the sizes, relative to the faster backend at each (Java within
         * {@link #TIE} of OpenBLAS counts as no loss); the highest such line (the most Java) on equal losses. One
         * line per shape keeps the choice explainable and steady where two sizes' timings were noisy.
         */
        public int openBlasFromRows() {
            int bestLine = Integer.MAX_VALUE;
            double bestLoss = Double.MAX_VALUE;
            for (int line = rows.length; line >= 0; line--) {
                double loss = 0;
                for (int i = 0; i < rows.length; i++) {
                    double best = Math.min(java[i], openBlas[i] * TIE);
                    loss += (i < line ? java[i] : openBlas[i] * TIE) / best - 1;
                }
                int from = line == rows.length ? Integer.MAX_VALUE : boundary(line);
                if (loss < bestLoss - 1e-9) {
                    bestLoss = loss;
                    bestLine = from;
                }
            }
            return bestLine;
        }

        /** Where OpenBLAS takes over when it does from the timed size {@code i}: halfway (geometrically) below it. */
        private int boundary(int i) {
            return i == 0 ? 0 : (int) Math.ceil(Math.sqrt((double) rows[i - 1] * rows[i]));
        }
    }

    private final Map<String, Timing> timings;
    /** Per shape, the rows from which OpenBLAS multiplies, drawn once from the timings. */
    private final Map<String, Integer> openBlasFrom;
    private final int fixedJavaBelowRows;
    private final String source;

    private BackendChoice(Map<String, Timing> timings, int fixedJavaBelowRows, String source) {
        this.timings = timings;
        Map<String, Integer> lines = new LinkedHashMap<>();
        timings.forEach((shape, t) -> lines.put(shape, t.openBlasFromRows()));
        this.openBlasFrom = Map.copyOf(lines);
        this.fixedJavaBelowRows = fixedJavaBelowRows;
        this.source = source;
    }

    /** The same line for every shape: the Java GEMM below {@code javaBelowRows} rows, OpenBLAS from there on. */
    public static BackendChoice fixed(int javaBelowRows) {
        Checks.nonNegative(javaBelowRows, "javaBelowRows");
        return new BackendChoice(Map.of(), javaBelowRows, "fixed by EngineOptions.autoJavaBelowRows");
    }

    /**
     * The lines drawn from {@code timings}; a shape without a timing gets {@code fallbackJavaBelowRows}.
     * {@code source} says where the timings come from, for {@link #describe}.
     */
    public static BackendChoice measured(List<Timing> timings, int fallbackJavaBelowRows, String source) {
        Map<String, Timing> byShape = new LinkedHashMap<>();
        for (Timing t : timings) {
            byShape.put(t.shape(), t);
        }
        return new BackendChoice(Map.copyOf(byShape), fallbackJavaBelowRows, source);
    }

    /** Whether a call of {@code rows} rows on a weight [out × in] goes to the Java GEMM. */
    public boolean useJava(int out, int in, int rows) {
        return rows < openBlasFrom(out, in);
    }

    /** The rows from which a weight [out × in] goes to OpenBLAS ({@code Integer.MAX_VALUE}: never). */
    public int openBlasFrom(int out, int in) {
        Integer from = openBlasFrom.get(key(out, in));
        return from == null ? fixedJavaBelowRows : from;
    }

    /** The timings the lines were drawn from (empty for a fixed line). */
    public List<Timing> timings() {
        return List.copyOf(timings.values());
    }

    /** One line per shape: where the line lies and the timings that put it there. */
    public String describe() {
        if (timings.isEmpty()) {
            return "java below " + fixedJavaBelowRows + " rows, openblas from there (" + source + ")";
        }
        List<String> lines = new ArrayList<>();
        for (Timing t : timings.values()) {
            int from = openBlasFrom(t.out(), t.in());
            StringBuilder b = new StringBuilder();
            b.append(t.out()).append(" × ").append(t.in()).append(": ");
            b.append(from == Integer.MAX_VALUE ? "java at every size" : from == 0 ? "openblas at every size"
                    : "java below " + from + " rows, openblas from " + from);
            b.append(" (ms java / openblas:");
            for (int i = 0; i < t.rows().length; i++) {
                b.append(String.format(Locale.ROOT, " %d rows %.3g / %.3g%s", t.rows()[i], t.java()[i] / 1e6,
                        t.openBlas()[i] / 1e6, i + 1 < t.rows().length ? "," : ")"));
            }
            lines.add(b.toString());
        }
        lines.add("measured: " + source);
        return String.join("\n", lines);
    }

    static String key(int out, int in) {
        return out + "x" + in;
    }

    @Override
    public String toString() {
        return timings.isEmpty() ? "java below " + fixedJavaBelowRows + " rows"
                : "measured per shape (" + timings.size() + " shapes)";
    }
}
