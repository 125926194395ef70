package org.bert4j.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * softmax(x)_i = exp(x_i − max x) / Σ_j exp(x_j − max x), in place over one row: subtracting the maximum keeps
 * every exponential in (0, 1], so large scores neither overflow nor lose the small ones.
 */
public final class Softmax {
    private Softmax() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Replaces {@code x[offset, offset + length)} by its softmax. */
    public static void apply(float[] x, int offset, int length) {
        apply(x, offset, length, 1f);
    }

    /**
     * Replaces {@code x[offset, offset + length)} by softmax(scale · x) — attention folds its 1/√d here instead of
     * spending a pass over the scores; {@code scale} must be positive.
     */
    public static void apply(float[] x, int offset, int length, float scale) {
        Checks.positive(length, "length");
        Checks.range(x, "x", offset, offset + length);
        if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
        scaledSoftmax(x, offset, offset + length, scale);
    }

    /** The unchecked kernel. */
    static void scaledSoftmax(float[] x, int from, int to, float scale) {
        float inv = 1f / exponentiate(x, from, to, scale);
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
     * Replaces {@code x[from, to)} by exp(scale·x − scale·max x) and returns their sum: the softmax before its
     * division, which attention applies to the 32- or 64-wide output row instead of the whole row of scores.
     * Two vectors per step, each with its own running maximum and sum: the loops are chains of dependent
     * operations otherwise, and a row is as long as 512 scores.
     */
    static float exponentiate(float[] x, int from, int to, float scale) {
        int length = S.length();
        int bound = from + S.loopBound(to - from);
        VectorMask<Float> tail = S.indexInRange(bound, to);

        FloatVector max0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector max1 = max0;
        int i = from;
        for (; i + 2 * length <= bound; i += 2 * length) {
            max0 = max0.max(FloatVector.fromArray(S, x, i));
            max1 = max1.max(FloatVector.fromArray(S, x, i + length));
        }
        if (i < bound) {
            max0 = max0.max(FloatVector.fromArray(S, x, i));
        }
        if (bound < to) {
            max1 = max1.max(FloatVector.fromArray(S, x, bound, tail).blend(Float.NEGATIVE_INFINITY, tail.not()));
        }
        float max = max0.max(max1).reduceLanes(VectorOperators.MAX);
        // exp(scale·x − scale·max): the largest exponent is exactly 0.
        FloatVector scaleV = FloatVector.broadcast(S, scale);
        FloatVector shift = FloatVector.broadcast(S, -scale * max);

        FloatVector sum0 = FloatVector.zero(S);
        FloatVector sum1 = sum0;
        for (i = from; i + 2 * length <= bound; i += 2 * length) {
            FloatVector e0 = Exp.exp(FloatVector.fromArray(S, x, i).fma(scaleV, shift));
            FloatVector e1 = Exp.exp(FloatVector.fromArray(S, x, i + length).fma(scaleV, shift));
            e0.intoArray(x, i);
            e1.intoArray(x, i + length);
            sum0 = sum0.add(e0);
            sum1 = sum1.add(e1);
        }
        if (i < bound) {
            FloatVector e = Exp.exp(FloatVector.fromArray(S, x, i).fma(scaleV, shift));
            e.intoArray(x, i);
            sum0 = sum0.add(e);
        }
        if (bound < to) {
            FloatVector e = Exp.exp(FloatVector.fromArray(S, x, bound, tail).fma(scaleV, shift));
            e.intoArray(x, bound, tail);
            sum1 = sum1.add(e, tail);
        }
        return sum0.add(sum1).reduceLanes(VectorOperators.ADD);
    }
}
