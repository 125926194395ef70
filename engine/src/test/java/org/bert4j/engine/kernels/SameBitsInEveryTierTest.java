package org.bert4j.engine.kernels;

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
 */
class SameBitsInEveryTierTest {

    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();
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
        checkEveryTier(() -> {
            float[] sums = new float[vectors.length];
            for (int r = 0; r < vectors.length; r++) {
                sums[r] = Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, vectors[r], 0));
            }
            return sums;
        }, () -> {
            float[] sums = new float[vectors.length];
            for (int r = 0; r < vectors.length; r++) {
                sums[r] = foldInHalves(vectors[r].clone());
            }
            return sums;
        });
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
            for (int r = 0; r < rows; r++) {
                LayerNorm.normalizeRowVector(x, out, r * width, width, gamma, beta, 1e-12f);
            }
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
    void softmaxAndGeluTanhGiveTheirFirstBitsAfterCompilation() {
        SplittableRandom random = new SplittableRandom(3);
        float[] scores = gaussian(random, 16 * 128, 4);
        float[] activations = gaussian(random, 4096, 3);
        float[] softmaxFirst = softmax(scores);
        float[] geluFirst = geluTanh(activations);
        for (int i = 0; i < CALLS; i++) {
            softmax(scores);
            geluTanh(activations);
        }
        assertArrayEquals(softmaxFirst, softmax(scores), "softmax (exponentials and row sums)");
        assertArrayEquals(geluFirst, geluTanh(activations), "gelu_tanh");
    }

    private static float[] softmax(float[] scores) {
        float[] x = scores.clone();
        float[] sums = new float[16];
        Softmax.exponentiateRows(x, 0, 16, 128, 0.17f, sums);
        float[] all = Arrays.copyOf(x, x.length + sums.length);
        System.arraycopy(sums, 0, all, x.length, sums.length);
        return all;
    }

    private static float[] geluTanh(float[] activations) {
        float[] x = activations.clone();
        Activations.geluTanhVector(x, 0, x.length);
        return x;
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

    /** LayerNorm.normalizeRowVector's operations, lane by lane, for a width that is a multiple of the lanes. */
    private static void emulateLayerNorm(float[] x, float[] out, int off, int width, float[] gamma, float[] beta,
                                         float eps) {
        assertEquals(0, width % LANES);
        float[] sum = new float[LANES];
        for (int j = 0; j < width; j += LANES) {
            for (int l = 0; l < LANES; l++) {
                sum[l] = sum[l] + x[off + j + l];
            }
        }
        float mean = foldInHalves(sum) / width;
        float[] squares = new float[LANES];
        for (int j = 0; j < width; j += LANES) {
            for (int l = 0; l < LANES; l++) {
                float d = x[off + j + l] - mean;
                squares[l] = Math.fma(d, d, squares[l]);
            }
        }
        float variance = foldInHalves(squares) / width;
        float rstd = (float) (1.0 / Math.sqrt(variance + eps));
        for (int j = 0; j < width; j++) {
            out[off + j] = Math.fma(x[off + j] - mean, gamma[j] * rstd, beta[j]);
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
