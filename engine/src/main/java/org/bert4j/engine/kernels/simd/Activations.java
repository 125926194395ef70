package org.bert4j.engine.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.bert4j.engine.kernels.Activation;

/**
 * Element-wise activations on the Vector API, in place over a range of an array.
 *
 * <p>Each loop runs whole vectors and then one masked vector for the tail, so every element, wherever it sits, goes
 * through the same arithmetic and gets the same result.
 */
final class Activations {
    private Activations() {}

    private static final VectorSpecies<Float> S = Width.SPECIES;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    /** {@code activation} in place over {@code x[from, to)}. */
    static void apply(Activation activation, float[] x, int from, int to) {
        switch (activation) {
            case GELU -> gelu(x, from, to);
            case GELU_TANH -> geluTanh(x, from, to);
            case RELU -> relu(x, from, to);
            case TANH -> tanh(x, from, to);
        }
    }

    /** Exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (Hugging Face {@code gelu}). */
    static void gelu(float[] x, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            gelu(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            gelu(FloatVector.fromArray(S, x, i, m)).intoArray(x, i, m);
        }
    }

    private static FloatVector gelu(FloatVector v) {
        FloatVector half = v.mul(0.5f);
        return half.fma(VectorErf.erf(v.mul(INV_SQRT2)), half);
    }

    /**
     * GELU's tanh approximation, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (Hugging Face {@code gelu_new}).
     */
    static void geluTanh(float[] x, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            geluTanh(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            geluTanh(FloatVector.fromArray(S, x, i, m)).intoArray(x, i, m);
        }
    }

    private static FloatVector geluTanh(FloatVector v) {
        // 0.5·(1 + tanh(u)) = 1 / (1 + exp(−2u)): one exponential instead of a tanh, same function. The exponential
        // is the softmax's (VectorExp), not lanewise(EXP), whose C2 code and fallback differ in the last bit. Past
        // VectorExp.HIGHEST tanh(u) is −1 in float and the result 0, as in PyTorch.
        FloatVector u = v.mul(v).fma(0.044715f, 1f).mul(v).mul(SQRT_2_OVER_PI);
        FloatVector exponent = u.mul(-2f);
        VectorMask<Float> saturated = exponent.compare(VectorOperators.GT, VectorExp.HIGHEST);
        FloatVector denominator = VectorExp.exp(exponent.blend(VectorExp.HIGHEST, saturated)).add(1f);
        return v.div(denominator).blend(0f, saturated);
    }

    /** max(0, x). */
    static void relu(float[] x, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, i).max(0f).intoArray(x, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector.fromArray(S, x, i, m).max(0f).intoArray(x, i, m);
        }
    }

    /** tanh, with StrictMath: the pooler's few values, the same bits in every tier (lanewise(TANH) is not). */
    static void tanh(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = (float) StrictMath.tanh(x[i]);
        }
    }
}
