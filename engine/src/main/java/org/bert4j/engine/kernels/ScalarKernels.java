package org.bert4j.engine.kernels;

/**
 * Plain scalar versions of the element-wise kernels and of attention, for the first forward passes of a JVM,
 * while the Vector API code is not compiled yet ({@link ColdStart}). Each mirrors its vector twin step by step —
 * the same formula, the same fused multiply-adds in the same order where it can — so the two agree to float
 * rounding; none of them is meant to be fast once the JIT has done its work.
 */
final class ScalarKernels {
    private ScalarKernels() {}

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    /** Exact GELU, 0.5·x·(1 + erf(x/√2)), in place over x[from, to). */
    static void gelu(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            float half = x[i] * 0.5f;
            x[i] = Math.fma(half, Erf.erf(x[i] * INV_SQRT2), half);
        }
    }

    /** GELU's tanh approximation as x / (1 + exp(−2u)), u = √(2/π)·(x + 0.044715·x³), in place. */
    static void geluTanh(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = x[i];
            float u = Math.fma(v * v, 0.044715f, 1f) * v * SQRT_2_OVER_PI;
            x[i] = v / ((float) Math.exp(u * -2f) + 1f);
        }
    }

    /** max(0, x), in place. */
    static void relu(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = Math.max(0f, x[i]);
        }
    }

    /** out[off..] = LayerNorm(x[off..]) over one row: two passes for mean and variance, as the vector kernel. */
    static void normalizeRow(float[] x, float[] out, int off, int width, float[] gamma, float[] beta, float eps) {
        // Sums in double: free in scalar code, and one float accumulator summing a row in order loses ~1e-5 of
        // the mean when the values are large (the vector kernel's eight partial sums lose less).
        double sum = 0;
        for (int j = 0; j < width; j++) {
            sum += x[off + j];
        }
        float mean = (float) (sum / width);
        double squares = 0;
        for (int j = 0; j < width; j++) {
            double d = x[off + j] - mean;
            squares += d * d;
        }
        float rstd = (float) (1.0 / Math.sqrt((float) (squares / width) + eps));
        for (int j = 0; j < width; j++) {
            out[off + j] = Math.fma(x[off + j] - mean, gamma[j] * rstd, beta[j]);
        }
    }

    /** out[off..] = a[off..] + b[off..] over one row. */
    static void add(float[] a, float[] b, float[] out, int off, int width) {
        for (int j = 0; j < width; j++) {
            out[off + j] = a[off + j] + b[off + j];
        }
    }

    /**
     * One head of self-attention over one sequence, as {@link Attention} computes it: scores q·k accumulated over
     * the head's dimensions, exp(scale·s − scale·max) per row, the unnormalised P·V, then one division per output
     * row. {@code scores} holds at least {@code tokens} floats.
     */
    static void head(float[] qkv, int tokenOffset, int tokens, int h, int heads, int headDim, float[] context,
                     float[] scores) {
        HeadSlices at = HeadSlices.of(tokenOffset, h, heads, headDim);
        int hidden = at.hidden();
        int stride = at.stride();
        int qOff = at.query();
        int kOff = at.key();
        int vOff = at.value();
        int cOff = at.context();
        float scale = at.scale();
        for (int i = 0; i < tokens; i++) {
            int q = qOff + i * stride;
            for (int j = 0; j < tokens; j++) {
                int k = kOff + j * stride;
                float s = 0f;
                for (int d = 0; d < headDim; d++) {
                    s = Math.fma(qkv[q + d], qkv[k + d], s);
                }
                scores[j] = s;
            }
            float sum = exponentiate(scores, 0, tokens, scale);
            int c = cOff + i * hidden;
            for (int d = 0; d < headDim; d++) {
                float acc = 0f;
                for (int j = 0; j < tokens; j++) {
                    acc = Math.fma(scores[j], qkv[vOff + j * stride + d], acc);
                }
                context[c + d] = acc;
            }
            divide(context, c, headDim, sum);
        }
    }

    /**
     * x[off, off + n) = exp(scale·x − scale·max x), returning their sum: a row of softmax before its division, as
     * {@link Softmax#exponentiate} computes it.
     */
    static float exponentiate(float[] x, int off, int n, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = off; j < off + n; j++) {
            max = Math.max(max, x[j]);
        }
        float shift = -scale * max;
        float sum = 0f;
        for (int j = off; j < off + n; j++) {
            x[j] = (float) Math.exp(Math.fma(x[j], scale, shift));
            sum += x[j];
        }
        return sum;
    }

    /** x[off, off + n) /= divisor, as a multiplication by its reciprocal (as attention's vector code does). */
    static void divide(float[] x, int off, int n, float divisor) {
        float inv = 1f / divisor;
        for (int j = off; j < off + n; j++) {
            x[j] *= inv;
        }
    }
}
