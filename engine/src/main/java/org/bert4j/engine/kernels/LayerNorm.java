package org.bert4j.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalisation over each row (Ba, Kiros and Hinton 2016), as BERT applies it after every residual
 * connection: y = (x − mean) / √(var + eps) · gamma + beta, with the biased variance (divided by width), as
 * PyTorch's {@code nn.LayerNorm} computes it.
 *
 * <p>The mean and the variance are two passes over the row (not E[x²] − E[x]², which cancels badly when the
 * mean is large); a row of hidden states fits in L1, so the extra pass costs no trip to memory. In
 * {@link #addAndNorm} the residual sum is written once and normalised while still in cache.
 */
public final class LayerNorm {
    private LayerNorm() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** out[r] = LayerNorm(x[r]) for each of the {@code rows} rows of width {@code width}; out may be x. */
    public static void apply(float[] x, int rows, int width, float[] gamma, float[] beta, float eps, float[] out) {
        check(rows, width, gamma, beta, eps);
        Checks.holds(x, "x", 0, (long) rows * width);
        Checks.holds(out, "out", 0, (long) rows * width);
        for (int r = 0; r < rows; r++) {
            normalizeRow(x, out, r * width, width, gamma, beta, eps);
        }
    }

    /**
     * out[r] = LayerNorm(residual[r] + x[r]) — BERT's "Add &amp; Norm" — in one pass over memory; out may be
     * residual or x.
     */
    public static void addAndNorm(float[] residual, float[] x, int rows, int width,
                                  float[] gamma, float[] beta, float eps, float[] out) {
        check(rows, width, gamma, beta, eps);
        Checks.holds(residual, "residual", 0, (long) rows * width);
        Checks.holds(x, "x", 0, (long) rows * width);
        Checks.holds(out, "out", 0, (long) rows * width);
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            add(residual, x, out, row, width);
            normalizeRow(out, out, row, width, gamma, beta, eps);
        }
    }

    /** {@link #apply} with the rows spread over a pool. */
    public static void apply(float[] x, int rows, int width, float[] gamma, float[] beta, float eps, float[] out,
                             ComputePool pool) {
        check(rows, width, gamma, beta, eps);
        Checks.holds(x, "x", 0, (long) rows * width);
        Checks.holds(out, "out", 0, (long) rows * width);
        pool.parallelForRanges(rows, chunks(pool, rows, width), (from, to) -> {
            for (int r = from; r < to; r++) {
                normalizeRow(x, out, r * width, width, gamma, beta, eps);
            }
        });
    }

    /** {@link #addAndNorm} with the rows spread over a pool. */
    public static void addAndNorm(float[] residual, float[] x, int rows, int width,
                                  float[] gamma, float[] beta, float eps, float[] out, ComputePool pool) {
        check(rows, width, gamma, beta, eps);
        Checks.holds(residual, "residual", 0, (long) rows * width);
        Checks.holds(x, "x", 0, (long) rows * width);
        Checks.holds(out, "out", 0, (long) rows * width);
        pool.parallelForRanges(rows, chunks(pool, rows, width), (from, to) -> {
            for (int r = from; r < to; r++) {
                int row = r * width;
                add(residual, x, out, row, width);
                normalizeRow(out, out, row, width, gamma, beta, eps);
            }
        });
    }

    private static int chunks(ComputePool pool, int rows, int width) {
        // Below ~16k elements a parallel loop costs more in wake-ups than it saves.
        long elements = (long) rows * width;
        return elements < 16_384 ? 1 : pool.threads();
    }

    private static void check(int rows, int width, float[] gamma, float[] beta, float eps) {
        Checks.nonNegative(rows, "rows");
        Checks.positive(width, "width");
        Checks.length(gamma, "gamma", width);
        Checks.length(beta, "beta", width);
        if (!(eps > 0f) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be positive and finite, got " + eps);
        }
    }

    private static void add(float[] a, float[] b, float[] out, int off, int width) {
        if (ColdStart.scalar(width)) {
            ScalarKernels.add(a, b, out, off, width);
        } else {
            addVector(a, b, out, off, width);
        }
    }

    private static void normalizeRow(float[] x, float[] out, int off, int width,
                                     float[] gamma, float[] beta, float eps) {
        if (ColdStart.scalar(width)) {
            ScalarKernels.normalizeRow(x, out, off, width, gamma, beta, eps);
        } else {
            normalizeRowVector(x, out, off, width, gamma, beta, eps);
        }
    }

    static void addVector(float[] a, float[] b, float[] out, int off, int width) {
        int j = 0;
        for (int bound = S.loopBound(width); j < bound; j += S.length()) {
            FloatVector.fromArray(S, a, off + j).add(FloatVector.fromArray(S, b, off + j)).intoArray(out, off + j);
        }
        if (j < width) {
            VectorMask<Float> m = S.indexInRange(j, width);
            FloatVector.fromArray(S, a, off + j, m).add(FloatVector.fromArray(S, b, off + j, m))
                    .intoArray(out, off + j, m);
        }
    }

    static void normalizeRowVector(float[] x, float[] out, int off, int width,
                                   float[] gamma, float[] beta, float eps) {
        int bound = S.loopBound(width);
        VectorMask<Float> tail = S.indexInRange(bound, width);

        FloatVector sum = FloatVector.zero(S);
        int j = 0;
        for (; j < bound; j += S.length()) {
            sum = sum.add(FloatVector.fromArray(S, x, off + j));
        }
        if (j < width) {
            sum = sum.add(FloatVector.fromArray(S, x, off + j, tail));
        }
        float mean = Lanes.sum(sum) / width;

        FloatVector meanV = FloatVector.broadcast(S, mean);
        FloatVector squares = FloatVector.zero(S);
        for (j = 0; j < bound; j += S.length()) {
            FloatVector d = FloatVector.fromArray(S, x, off + j).sub(meanV);
            squares = d.fma(d, squares);
        }
        if (j < width) {
            FloatVector d = FloatVector.fromArray(S, x, off + j, tail).sub(meanV);
            squares = squares.add(d.mul(d), tail);
        }
        float variance = Lanes.sum(squares) / width;
        float rstd = (float) (1.0 / Math.sqrt(variance + eps));

        FloatVector rstdV = FloatVector.broadcast(S, rstd);
        for (j = 0; j < bound; j += S.length()) {
            FloatVector g = FloatVector.fromArray(S, gamma, j).mul(rstdV);
            FloatVector.fromArray(S, x, off + j).sub(meanV).fma(g, FloatVector.fromArray(S, beta, j))
                    .intoArray(out, off + j);
        }
        if (j < width) {
            FloatVector g = FloatVector.fromArray(S, gamma, j, tail).mul(rstdV);
            FloatVector.fromArray(S, x, off + j, tail).sub(meanV).fma(g, FloatVector.fromArray(S, beta, j, tail))
                    .intoArray(out, off + j, tail);
        }
    }
}
