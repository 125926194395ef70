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

    /** grad ← grad · f'(x) over [from, to): the activation's backward, x its input. */
    static void backward(Activation activation, float[] x, float[] grad, int from, int to) {
        if (activation == Activation.TANH) {
            for (int i = from; i < to; i++) {
                double t = StrictMath.tanh(x[i]);
                grad[i] = (float) (grad[i] * (1 - t * t));
            }
            return;
        }
        // One loop per activation: a switch choosing among vector values inside the loop merges them, and C2 then
        // keeps each in a heap object (the Vector API's boxing), allocating on every step of the loop.
        switch (activation) {
            case GELU -> geluBackward(x, grad, from, to);
            case GELU_TANH -> {
                int i = from;
                for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, x, i);
                    FloatVector.fromArray(S, grad, i).mul(geluTanhDerivative(v)).intoArray(grad, i);
                }
                if (i < to) {
                    VectorMask<Float> m = S.indexInRange(i, to);
                    FloatVector v = FloatVector.fromArray(S, x, i, m);
                    FloatVector.fromArray(S, grad, i, m).mul(geluTanhDerivative(v)).intoArray(grad, i, m);
                }
            }
            case RELU -> {
                // PyTorch's ReLU passes the gradient where x > 0 and nothing elsewhere (0 at x = 0).
                for (int i = from; i < to; i++) {
                    grad[i] = x[i] > 0f ? grad[i] : grad[i] * 0f;
                }
            }
            case TANH -> throw new IllegalStateException("tanh's derivative is computed in double");
        }
    }

    /** Values per chunk of {@link #geluBackward}'s two passes (a few KB: they stay in L1 between the passes). */
    private static final int CHUNK = 512;

    /**
     * grad ← grad · (Φ(x) + x·φ(x)) in chunks, each in two passes: x·φ(x) (the exponential) into a scratch chunk, then
     * Φ(x) (erf) and the product. One loop with both polynomials is more code than C2 inlines into one compiled
     * method: it left the exponential as a call, which passes its vectors as heap objects, an allocation
     * per vector of values.
     */
    private static void geluBackward(float[] x, float[] grad, int from, int to) {
        float[] density = new float[CHUNK + S.length()];
        for (int c = from; c < to; c += CHUNK) {
            int end = Math.min(to, c + CHUNK);
            GeluDensity.of(x, c, end, density);
            int i = c;
            for (int bound = c + S.loopBound(end - c); i < bound; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                FloatVector d = FloatVector.fromArray(S, density, i - c);
                FloatVector.fromArray(S, grad, i).mul(cdf(v).add(d)).intoArray(grad, i);
            }
            if (i < end) {
                VectorMask<Float> m = S.indexInRange(i, end);
                FloatVector v = FloatVector.fromArray(S, x, i, m);
                FloatVector d = FloatVector.fromArray(S, density, i - c, m);
                FloatVector.fromArray(S, grad, i, m).mul(cdf(v).add(d)).intoArray(grad, i, m);
            }
        }
    }

    /** Φ(x) = 0.5·(1 + erf(x/√2)). */
    private static FloatVector cdf(FloatVector v) {
        return VectorErf.erf(v.mul(INV_SQRT2)).add(1f).mul(0.5f);
    }

    /**
     * For y = x·s, s = σ(2u) = 1/(1 + exp(−2u)) (the forward's form of 0.5·(1 + tanh u)), u = √(2/π)(x + 0.044715x³):
     * dy/dx = s + x·2s(1 − s)·u', u' = √(2/π)(1 + 3·0.044715x²). Saturated (exp's argument past its top): s = 0 and
     * the derivative 0, as the forward's output is.
     */
    private static FloatVector geluTanhDerivative(FloatVector v) {
        FloatVector x2 = v.mul(v);
        FloatVector u = x2.fma(0.044715f, 1f).mul(v).mul(SQRT_2_OVER_PI);
        FloatVector exponent = u.mul(-2f);
        VectorMask<Float> saturated = exponent.compare(VectorOperators.GT, VectorExp.HIGHEST);
        FloatVector s = FloatVector.broadcast(S, 1f).div(VectorExp.exp(exponent.blend(VectorExp.HIGHEST, saturated)).add(1f));
        FloatVector du = x2.fma(3 * 0.044715f, 1f).mul(SQRT_2_OVER_PI);
        FloatVector oneMinusS = FloatVector.broadcast(S, 1f).sub(s);
        FloatVector result = v.mul(s).mul(oneMinusS).mul(du).mul(2f).add(s);
        return result.blend(0f, saturated);
    }
}
