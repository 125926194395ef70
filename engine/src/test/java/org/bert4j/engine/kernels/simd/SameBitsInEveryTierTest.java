package org.bert4j.engine.kernels.simd;

import org.bert4j.engine.kernels.Exp;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The vector kernels give the same bits whether the interpreter, C1 or C2 runs them, so a model's output does not
 * move in its last bits while the JIT compiles it, nor differ between processes. Each kernel is checked against a
 * scalar emulation of its exact order of operations, on its first calls and again after enough calls for C2
 * (which used to sum a LayerNorm row's lanes in another order than the fallback code: 37 of 64 rows one ulp off).
 * Comparing against an emulation rather than the kernel's own first result keeps the test meaningful when other
 * tests in the same JVM have compiled the kernel already.
 */
class SameBitsInEveryTierTest {

    private static final int LANES = Width.SPECIES.length();
    private static final int CALLS = 20_000;

    @Test
    void laneSumsFoldInHalvesInEveryTier() {
        SplittableRandom random = new SplittableRandom(1);
        float[][] vectors = new float[64][LANES];
        for (float[] v : vectors) {
            for (int i = 0; i < LANES; i++) {
                v[i] = (float) (random.nextGaussian() * Math.exp(3 * random.nextGaussian()));   // wide range
            }
        }
        Supplier<float[]> folded = () -> {
            float[] sums = new float[vectors.length];
            for (int r = 0; r < vectors.length; r++) {
                sums[r] = foldInHalves(vectors[r].clone());
            }
            return sums;
        };
        checkEveryTier(() -> {
            float[] sums = new float[vectors.length];
            for (int r = 0; r < vectors.length; r++) {
                sums[r] = Lanes.sum(FloatVector.fromArray(Width.SPECIES, vectors[r], 0));
            }
            return sums;
        }, folded);
        // The stored form, which the softmax uses, folds in the same order.
        checkEveryTier(() -> {
            float[] sums = new float[vectors.length];
            for (int r = 0; r < vectors.length; r++) {
                sums[r] = Lanes.sum(vectors[r].clone());
            }
            return sums;
        }, folded);
    }

    @Test
    void layerNormRowsMatchTheirScalarEmulationInEveryTier() {
        int width = 384;
        int rows = 16;
        SplittableRandom random = new SplittableRandom(2);
        float[] x = gaussian(random, rows * width, 2);
        float[] gamma = gaussian(random, width, 1);
        float[] beta = gaussian(random, width, 1);
        checkEveryTier(() -> {
            float[] out = new float[x.length];
            LayerNorm.normalizeRows(x, 0, rows, gamma, beta, 1e-12f, out);
            return out;
        }, () -> {
            float[] out = new float[x.length];
            for (int r = 0; r < rows; r++) {
                emulateLayerNorm(x, out, r * width, width, gamma, beta, 1e-12f);
            }
            return out;
        });
    }

    @Test
    void softmaxRowsMatchTheirScalarEmulationInEveryTier() {
        int rows = 16;
        int length = 128;   // a multiple of two vectors: no tail
        float scale = 0.17f;
        float[] scores = gaussian(new SplittableRandom(3), rows * length, 4);
        checkEveryTier(() -> {
            float[] x = scores.clone();
            float[] sums = new float[rows];
            Softmax.exponentiateRows(x, 0, rows, length, scale, sums);
            return withSums(x, sums);
        }, () -> {
            float[] x = scores.clone();
            float[] sums = new float[rows];
            for (int r = 0; r < rows; r++) {
                sums[r] = emulateExponentiate(x, r * length, length, scale);
            }
            return withSums(x, sums);
        });
    }

    @Test
    void geluTanhMatchesItsScalarEmulationInEveryTier() {
        float[] activations = gaussian(new SplittableRandom(4), 4096, 3);
        activations[0] = -1e30f;   // saturated: exactly 0
        activations[1] = 1e30f;
        checkEveryTier(() -> {
            float[] x = activations.clone();
            Activations.geluTanh(x, 0, x.length);
            return x;
        }, () -> {
            float[] x = activations.clone();
            for (int i = 0; i < x.length; i++) {
                x[i] = emulateGeluTanh(x[i]);
            }
            return x;
        });
    }

    private static float[] withSums(float[] x, float[] sums) {
        float[] all = Arrays.copyOf(x, x.length + sums.length);
        System.arraycopy(sums, 0, all, x.length, sums.length);
        return all;
    }

    /** VectorExp.exp's operations on one lane. */
    private static float emulateExp(float x) {
        x = x < Exp.LOWEST ? Exp.LOWEST : x;
        float t = Math.fma(x, Exp.LOG2E, Exp.SHIFTER);
        float n = t - Exp.SHIFTER;
        float r = Math.fma(n, -Exp.LN2, x);
        float r2 = r * r;
        float low = r + 1f;
        float mid = Math.fma(r, Exp.C3, Exp.C2);
        float high = Math.fma(r, Exp.C5, Exp.C4);
        float p = Math.fma(r2, Math.fma(r2, Exp.C6, high), mid);
        p = Math.fma(r2, p, low);
        return Float.intBitsToFloat(Float.floatToRawIntBits(p) + (Float.floatToRawIntBits(t) << 23));
    }

    /**
     * One row through Softmax's exponentiate loop: exp(scale·x − scale·max) in place; the sum kept in two vectors of
     * lanes (even and odd vector blocks), added lane by lane and folded in halves.
     */
    private static float emulateExponentiate(float[] x, int off, int length, float scale) {
        assertEquals(0, length % (2 * LANES));
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, x[off + i]);
        }
        float shift = -scale * max;
        float[] sum0 = new float[LANES];
        float[] sum1 = new float[LANES];
        for (int i = 0; i < length; i += 2 * LANES) {
            for (int l = 0; l < LANES; l++) {
                float e0 = emulateExp(Math.fma(x[off + i + l], scale, shift));
                float e1 = emulateExp(Math.fma(x[off + i + LANES + l], scale, shift));
                x[off + i + l] = e0;
                x[off + i + LANES + l] = e1;
                sum0[l] = sum0[l] + e0;
                sum1[l] = sum1[l] + e1;
            }
        }
        for (int l = 0; l < LANES; l++) {
            sum0[l] = sum0[l] + sum1[l];
        }
        return foldInHalves(sum0);
    }

    /** Activations.geluTanh's operations on one lane. */
    private static float emulateGeluTanh(float v) {
        float u = Math.fma(v * v, 0.044715f, 1f) * v * Activations.SQRT_2_OVER_PI;
        float exponent = u * -2f;
        if (exponent > Exp.HIGHEST) {
            return 0f;
        }
        return v / (emulateExp(exponent) + 1f);
    }

    /** The kernel equals the emulation on its first calls and after enough calls for C2 to compile it. */
    private static void checkEveryTier(Supplier<float[]> kernel, Supplier<float[]> emulation) {
        float[] expected = emulation.get();
        assertArrayEquals(expected, kernel.get(), "first call");
        for (int i = 0; i < CALLS; i++) {
            kernel.get();
        }
        assertArrayEquals(expected, kernel.get(), "after " + CALLS + " calls");
    }

    /** Lane i plus lane i + n/2, then again, in float: Lanes.sum's order. */
    private static float foldInHalves(float[] v) {
        for (int half = v.length / 2; half >= 1; half /= 2) {
            for (int i = 0; i < half; i++) {
                v[i] = v[i] + v[i + half];
            }
        }
        return v[0];
    }

    /** LayerNorm's operations, lane by lane, for a width that is a multiple of the lanes: shifted by x₀. */
    private static void emulateLayerNorm(float[] x, float[] out, int off, int width, float[] gamma, float[] beta,
                                         float eps) {
        assertEquals(0, width % LANES);
        float shift = x[off];
        float[] sum = new float[LANES];
        for (int j = 0; j < width; j += LANES) {
            for (int l = 0; l < LANES; l++) {
                sum[l] = sum[l] + (x[off + j + l] - shift);
            }
        }
        float mean = foldInHalves(sum) / width;
        float[] squares = new float[LANES];
        for (int j = 0; j < width; j += LANES) {
            for (int l = 0; l < LANES; l++) {
                float c = (x[off + j + l] - shift) - mean;
                squares[l] = Math.fma(c, c, squares[l]);
            }
        }
        float variance = foldInHalves(squares) / width;
        float rstd = (float) (1.0 / Math.sqrt(variance + eps));
        for (int j = 0; j < width; j++) {
            out[off + j] = Math.fma((x[off + j] - shift) - mean, gamma[j] * rstd, beta[j]);
        }
    }

    private static float[] gaussian(SplittableRandom random, int n, double std) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * std);
        }
        return x;
    }
}
