package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Softmax of every kernel set against the double-precision definition.
 *
 * <p>Error analysis (vector kernels). Each exponent a_j = scale·x_j − scale·max is one fused multiply-add on a rounded
 * product: |δa_j| ≤ u·|a_j| + u·|scale·max|, which becomes a relative error of e^a; the exponential adds its own
 * ({@link Bounds#expRelative}); the row's sum of positive terms in W lanes adds γ_k (k = ⌈n/W⌉ + log₂W); the
 * reciprocal and the product add 2u. So |δp_j| ≤ p_j·(ε_j + max_i ε_i + γ_k + 2u), ε_j = |δa_j| + E_exp(a_j), and
 * below e^−87.33 (the clamp) an absolute 1.2e-38 / sum. The scalar set computes in double, rounding each numerator
 * to float (u, in the numerator and through the sum) and the quotient once: 3u·p.
 */
class SoftmaxTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void matchesTheDefinitionForEveryLength(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(1);
        for (int length = 1; length <= 70; length++) {
            checkRow(kernels, Reference.random(random, length, 8), 1f);
        }
        checkRow(kernels, Reference.random(random, 512, 20), 1f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void scaledSoftmaxEqualsSoftmaxOfScaledScores(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(2);
        for (int length : new int[] {1, 9, 128, 131}) {
            checkRow(kernels, Reference.random(random, length, 30), (float) (1 / Math.sqrt(32)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void hugeScoresNeitherOverflowNorUnderflowToNaN(Kernels kernels) {
        float[] x = {1e30f, 1e30f - 1e24f, -1e30f, 88f, 1000f};
        kernels.softmax(x, 0, x.length, 1f);
        double sum = 0;
        for (float p : x) {
            assertTrue(p >= 0 && p <= 1, String.valueOf(p));
            sum += p;
        }
        assertEquals(1, sum, 4 * Bounds.U);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void onlyTheRowChanges(Kernels kernels) {
        float[] x = {5, 1, 2, 3, 5};
        kernels.softmax(x, 1, 3, 1f);
        assertEquals(5f, x[0]);
        assertEquals(5f, x[4]);
        assertEquals(1, x[1] + x[2] + x[3], 8 * Bounds.U);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void badArgumentsAreRejectedByName(Kernels kernels) {
        assertThrows(IllegalArgumentException.class, () -> kernels.softmax(new float[3], 1, 3, 1f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kernels.softmax(new float[3], 0, 0, 1f));
        assertTrue(e.getMessage().contains("length"));
        e = assertThrows(IllegalArgumentException.class, () -> kernels.softmax(new float[3], 0, 3, -1f));
        assertTrue(e.getMessage().contains("scale"));
    }

    private static void checkRow(Kernels kernels, float[] row, float scale) {
        int n = row.length;
        double[] scaled = new double[n];
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            scaled[i] = (double) row[i] * scale;
            max = Math.max(max, row[i]);
        }
        double[] expected = Reference.softmax(scaled);
        double[] epsilon = new double[n];
        double worst = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double a = (double) scale * (row[i] - max);
            sum += Math.exp(a);
            epsilon[i] = Bounds.U * Math.abs(a) + Bounds.U * Math.abs((double) scale * max) + Bounds.expRelative(a);
            worst = Math.max(worst, epsilon[i]);
        }
        float[] actual = new float[n + 3];
        System.arraycopy(row, 0, actual, 2, n);
        kernels.softmax(actual, 2, n, scale);
        for (int i = 0; i < n; i++) {
            double bound = kernels.vectorBits() == 0 ? 3 * Bounds.U * expected[i] + Double.MIN_VALUE
                    : expected[i] * (epsilon[i] + worst + Bounds.gamma(KernelSets.sumDepth(kernels, n) + 1)
                            + 2 * Bounds.U) + 1.2e-38 / sum;
            double error = Math.abs(actual[i + 2] - expected[i]);
            assertTrue(error <= bound, kernels + " length " + n + " index " + i + ": " + actual[i + 2] + " vs "
                    + expected[i] + ", error " + error + " > bound " + bound);
        }
    }
}
