package org.bert4j.engine.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * softmax(x)_i = exp(x_i − max x) / Σ_j exp(x_j − max x), in place over one row: subtracting the maximum keeps
 * every exponential in (0, 1], so large scores neither overflow nor lose the small ones.
 */
final class Softmax {
    private Softmax() {}

    private static final VectorSpecies<Float> S = Width.SPECIES;

    /** Replaces {@code x[from, to)} by softmax(scale · x). */
    static void softmax(float[] x, int from, int to, float scale) {
        float[] sum = new float[1];
        exponentiateRows(x, from, 1, to - from, scale, sum);
        float inv = 1f / sum[0];
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, i).mul(inv).intoArray(x, i);
        }
        if (i < to) {
            VectorMask<Float> tail = S.indexInRange(bound, to);
            FloatVector.fromArray(S, x, i, tail).mul(inv).intoArray(x, i, tail);
        }
    }

    /**
     * For each of {@code rows} rows of {@code length} (row r at {@code from + r·length}): replaces it by
     * exp(scale·x − scale·max x) and puts their sum in {@code sums[r]} — the softmax before its division, which
     * attention applies to the 32- or 64-wide output row instead of the whole row of scores.
     *
     * <p>A row's exponentials cannot start before its maximum is known, so finding it in a pass of its own would
     * leave the core idle while that pass's last comparisons and the reduction across lanes finish. Instead each
     * row's loop also finds the next row's maximum, which is ready when the next row starts. Two vectors per step,
     * each with its own running maximum and sum: the loops are chains of dependent operations otherwise.
     */
    static void exponentiateRows(float[] x, int from, int rows, int length, float scale, float[] sums) {
        float max = max(x, from, length);
        float[] lanes = new float[S.length()];
        for (int r = 0; r < rows; r++) {
            int row = from + r * length;
            // The last row looks for the maximum of its own (overwritten) values: harmless, and no branch.
            int next = r + 1 < rows ? row + length : row;
            max = exponentiate(x, row, next, length, scale, max, sums, r, lanes);
        }
    }

    /** The largest of x[from, from + length). */
    private static float max(float[] x, int from, int length) {
        int to = from + length;
        int bound = from + S.loopBound(length);
        FloatVector max0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector max1 = max0;
        int i = from;
        for (; i + 2 * S.length() <= bound; i += 2 * S.length()) {
            max0 = max0.max(FloatVector.fromArray(S, x, i));
            max1 = max1.max(FloatVector.fromArray(S, x, i + S.length()));
        }
        if (i < bound) {
            max0 = max0.max(FloatVector.fromArray(S, x, i));
        }
        if (bound < to) {
            VectorMask<Float> tail = S.indexInRange(bound, to);
            max1 = max1.max(FloatVector.fromArray(S, x, bound, tail).blend(Float.NEGATIVE_INFINITY, tail.not()));
        }
        return max0.max(max1).reduceLanes(VectorOperators.MAX);
    }

    /**
     * Row {@code row} → its exponentials given its maximum; their sum into sums[r]. Returns the maximum of the
     * row at {@code next}, read in the same loop.
     */
    private static float exponentiate(float[] x, int row, int next, int length, float scale, float max,
                                      float[] sums, int r, float[] lanes) {
        int step = S.length();
        int bound = S.loopBound(length);
        // exp(scale·x − scale·max): the largest exponent is exactly 0.
        FloatVector scaleV = FloatVector.broadcast(S, scale);
        FloatVector shift = FloatVector.broadcast(S, -scale * max);
        FloatVector sum0 = FloatVector.zero(S);
        FloatVector sum1 = sum0;
        FloatVector max0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector max1 = max0;
        int i = 0;
        for (; i + 2 * step <= bound; i += 2 * step) {
            FloatVector e0 = VectorExp.exp(FloatVector.fromArray(S, x, row + i).fma(scaleV, shift));
            FloatVector e1 = VectorExp.exp(FloatVector.fromArray(S, x, row + i + step).fma(scaleV, shift));
            e0.intoArray(x, row + i);
            e1.intoArray(x, row + i + step);
            sum0 = sum0.add(e0);
            sum1 = sum1.add(e1);
            max0 = max0.max(FloatVector.fromArray(S, x, next + i));
            max1 = max1.max(FloatVector.fromArray(S, x, next + i + step));
        }
        if (i < bound) {
            FloatVector e = VectorExp.exp(FloatVector.fromArray(S, x, row + i).fma(scaleV, shift));
            e.intoArray(x, row + i);
            sum0 = sum0.add(e);
            max0 = max0.max(FloatVector.fromArray(S, x, next + i));
        }
        if (bound < length) {
            VectorMask<Float> tail = S.indexInRange(bound, length);
            FloatVector e = VectorExp.exp(FloatVector.fromArray(S, x, row + bound, tail).fma(scaleV, shift));
            e.intoArray(x, row + bound, tail);
            sum1 = sum1.add(e, tail);
            max1 = max1.max(FloatVector.fromArray(S, x, next + bound, tail).blend(Float.NEGATIVE_INFINITY, tail.not()));
        }
        // The lanes are summed from memory: this method's three inlined exponentials can leave a call that takes a
        // vector out of line, and such a call passes the vector as a heap object.
        sum0.add(sum1).intoArray(lanes, 0);
        sums[r] = Lanes.sum(lanes);
        return max0.max(max1).reduceLanes(VectorOperators.MAX);
    }

    /** dp ← p ⊙ (dp − Σ dp⊙p) over [from, to): softmax's backward, p its output. */
    static void backward(float[] p, float[] dp, int from, int to) {
        int bound = from + S.loopBound(to - from);
        FloatVector dot = FloatVector.zero(S);
        int i = from;
        for (; i < bound; i += S.length()) {
            dot = FloatVector.fromArray(S, dp, i).fma(FloatVector.fromArray(S, p, i), dot);
        }
        VectorMask<Float> tail = S.indexInRange(i, to);
        if (i < to) {
            dot = dot.add(FloatVector.fromArray(S, dp, i, tail).mul(FloatVector.fromArray(S, p, i, tail)), tail);
        }
        FloatVector d = FloatVector.broadcast(S, Lanes.sum(dot));
        for (i = from; i < bound; i += S.length()) {
            FloatVector.fromArray(S, dp, i).sub(d).mul(FloatVector.fromArray(S, p, i)).intoArray(dp, i);
        }
        if (i < to) {
            FloatVector.fromArray(S, dp, i, tail).sub(d).mul(FloatVector.fromArray(S, p, i, tail)).intoArray(dp, i, tail);
        }
    }
}
