package org.bert4j.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise activations on the Vector API, in place over a range of an array.
 *
 * <p>Each loop runs whole vectors and then one masked vector for the tail, so every element, wherever it sits,
 * goes through the same arithmetic and gets the same result.
 */
public final class Activations {
    private Activations() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    /** Exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (Hugging Face {@code gelu}), in place over {@code x[from, to)}. */
    public static void gelu(float[] x, int from, int to) {
        Checks.range(x, "x", from, to);
        if (ColdStart.scalar(to - from)) {
            ScalarKernels.gelu(x, from, to);
        } else {
            geluVector(x, from, to);
        }
    }

    static void geluVector(float[] x, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            gelu(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            gelu(FloatVector.fromArray(S, x, i, m)).intoArray(x, i, m);
        }
    }

    static FloatVector gelu(FloatVector v) {
        FloatVector half = v.mul(0.5f);
        return half.fma(Erf.erf(v.mul(INV_SQRT2)), half);
    }

    /**
     * GELU's tanh approximation, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (Hugging Face {@code gelu_new}),
     * in place over {@code x[from, to)}.
     */
    public static void geluTanh(float[] x, int from, int to) {
        Checks.range(x, "x", from, to);
        if (ColdStart.scalar(to - from)) {
            ScalarKernels.geluTanh(x, from, to);
        } else {
            geluTanhVector(x, from, to);
        }
    }

    static void geluTanhVector(float[] x, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            geluTanh(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            geluTanh(FloatVector.fromArray(S, x, i, m)).intoArray(x, i, m);
        }
    }

    static FloatVector geluTanh(FloatVector v) {
        // 0.5·(1 + tanh(u)) = 1 / (1 + exp(−2u)): one exponential instead of a tanh, same function. The exponential
        // is the softmax's (Exp), not lanewise(EXP), whose C2 code and fallback differ in the last bit. Past
        // Exp.HIGHEST tanh(u) is −1 in float and the result 0, as in PyTorch.
        FloatVector u = v.mul(v).fma(0.044715f, 1f).mul(v).mul(SQRT_2_OVER_PI);
        FloatVector exponent = u.mul(-2f);
        VectorMask<Float> saturated = exponent.compare(VectorOperators.GT, Exp.HIGHEST);
        FloatVector denominator = Exp.exp(exponent.blend(Exp.HIGHEST, saturated)).add(1f);
        return v.div(denominator).blend(0f, saturated);
    }

    /** max(0, x), in place over {@code x[from, to)}. */
    public static void relu(float[] x, int from, int to) {
        Checks.range(x, "x", from, to);
        if (ColdStart.scalar(to - from)) {
            ScalarKernels.relu(x, from, to);
        } else {
            reluVector(x, from, to);
        }
    }

    static void reluVector(float[] x, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, i).max(0f).intoArray(x, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector.fromArray(S, x, i, m).max(0f).intoArray(x, i, m);
        }
    }

    /**
     * tanh(x) (the BERT pooler's activation), in place over {@code x[from, to)}: one value per sequence and hidden
     * unit, too few to vectorise, and StrictMath's tanh gives the same bits on every JVM and in every JIT tier (the
     * Vector API's lanewise(TANH) does not).
     */
    public static void tanh(float[] x, int from, int to) {
        Checks.range(x, "x", from, to);
        for (int i = from; i < to; i++) {
            x[i] = (float) StrictMath.tanh(x[i]);
        }
    }

    /** Adds {@code bias} to each of the {@code rows} rows of y [rows × bias.length], in place. */
    public static void addBias(float[] y, int rows, float[] bias) {
        Checks.array(bias, "bias");
        Checks.nonNegative(rows, "rows");
        int width = bias.length;
        Checks.holds(y, "y", 0, (long) rows * width);
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            int j = 0;
            for (int bound = S.loopBound(width); j < bound; j += S.length()) {
                FloatVector.fromArray(S, y, row + j).add(FloatVector.fromArray(S, bias, j)).intoArray(y, row + j);
            }
            if (j < width) {
                VectorMask<Float> m = S.indexInRange(j, width);
                FloatVector.fromArray(S, y, row + j, m).add(FloatVector.fromArray(S, bias, j, m))
                        .intoArray(y, row + j, m);
            }
        }
    }
}
