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
     */
    static float exponentiate(float[] x, int from, int to, float scale) {
        int bound = from + S.loopBound(to - from);
        VectorMask<Float> tail = S.indexInRange(bound, to);

        FloatVector maxV = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = from;
        for (; i < bound; i += S.length()) {
            maxV = maxV.max(FloatVector.fromArray(S, x, i));
        }
        if (i < to) {
            maxV = maxV.max(FloatVector.fromArray(S, x, i, tail).blend(Float.NEGATIVE_INFINITY, tail.not()));
        }
        float max = maxV.reduceLanes(VectorOperators.MAX);
        // exp(scale·x − scale·max): the largest exponent is exactly 0.
        FloatVector scaleV = FloatVector.broadcast(S, scale);
        FloatVector shift = FloatVector.broadcast(S, -scale * max);

        FloatVector sumV = FloatVector.zero(S);
        for (i = from; i < bound; i += S.length()) {
            FloatVector e = FloatVector.fromArray(S, x, i).fma(scaleV, shift).lanewise(VectorOperators.EXP);
            e.intoArray(x, i);
            sumV = sumV.add(e);
        }
        if (i < to) {
            FloatVector e = FloatVector.fromArray(S, x, i, tail).fma(scaleV, shift).lanewise(VectorOperators.EXP);
            e.intoArray(x, i, tail);
            sumV = sumV.add(e, tail);
        }
        return sumV.reduceLanes(VectorOperators.ADD);
    }
}
