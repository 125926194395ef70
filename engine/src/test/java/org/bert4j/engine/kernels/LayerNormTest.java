package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LayerNorm of every kernel set against the double-precision definition.
 *
 * <p>Error analysis. The vector kernels shift the row by its first element, d = x − x₀ (error ≤ u·|d|), sum d in W
 * float lanes, ⌈n/W⌉ additions along a lane then log₂W folding them (relative error γ_k of Σ|d|, k = ⌈n/W⌉ + log₂W,
 * plus u for the division by n: {@code δm}), centre c = d − m (u·|c| more), sum c² the same way (γ_{k+2} relative,
 * plus 2|c|·|δc| from the error of c), and take r = 1/√(var + eps) in double (half the variance's relative error,
 * plus u). Then y = c·(γ·r) + β: γ·r rounds once, the fused multiply-add once. So per element
 * <pre>
 *   |δy| ≤ |γ_j|·r·(|δc_j| + |c_j|·(ε_var/2 + 2u)) + u·|y_j|,   |δc_j| ≤ u·|d_j| + δm + u·|c_j|
 * </pre>
 * None of it scales with the row's mean: a row around 100 with spread 4 keeps the error near u relative to the
 * spread at any width (summing x itself in 16 float lanes, as the kernel once did, lost ~1e-5 of it: the failure on
 * 512-bit machines). The scalar set does all of this in double (u_double for the sums), rounding y once to float.
 * The tests also hold every row to the product's acceptance bound, 1e-5·max(1, |y|), with |mean| ≫ std.
 */
class LayerNormTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void normalisesRowsWithALargeMeanWithinTheBound(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(1);
        for (int width : new int[] {1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 384, 385, 768, 1024}) {
            for (double mean : new double[] {0, 100, -3000}) {
                int rows = 3;
                float[] x = Reference.random(random, rows * width, 4);
                for (int i = 0; i < x.length; i++) {
                    x[i] += (float) mean;   // the mean must not cost accuracy: shifted sums
                }
                float[] gamma = Reference.random(random, width, 2);
                float[] beta = Reference.random(random, width, 1);
                float[] out = new float[rows * width];
                kernels.layerNorm(x, 0, rows, gamma, beta, 1e-12f, out);
                check(kernels, x, null, rows, gamma, beta, 1e-12, out, "mean " + mean);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void addAndNormEqualsNormOfTheSumAndMayWriteInPlace(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(2);
        int rows = 5;
        int width = 45;
        float[] residual = Reference.random(random, rows * width, 3);
        float[] x = Reference.random(random, rows * width, 3);
        float[] gamma = Reference.random(random, width, 2);
        float[] beta = Reference.random(random, width, 1);
        float[] out = residual.clone();
        kernels.addAndLayerNorm(out, x, 0, rows, gamma, beta, 1e-5f, out);
        check(kernels, residual, x, rows, gamma, beta, 1e-5, out, "in place");
        float[] intoX = x.clone();
        kernels.addAndLayerNorm(residual, intoX, 0, rows, gamma, beta, 1e-5f, intoX);
        assertArrayEquals(out, intoX, "out = x gives what out = residual gives");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void rowsOutsideTheRangeStayUntouched(Kernels kernels) {
        int width = 40;
        float[] x = Reference.random(new SplittableRandom(3), 6 * width, 3);
        float[] gamma = new float[width];
        float[] beta = new float[width];
        java.util.Arrays.fill(gamma, 1f);
        float[] out = new float[6 * width];
        java.util.Arrays.fill(out, 42f);
        kernels.layerNorm(x, 2, 4, gamma, beta, 1e-12f, out);
        for (int i = 0; i < out.length; i++) {
            int row = i / width;
            assertTrue((row >= 2 && row < 4) != (out[i] == 42f), "element " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void aConstantRowBecomesBeta(Kernels kernels) {
        float[] x = {3, 3, 3, 3, 3};
        float[] gamma = {1, 2, 3, 4, 5};
        float[] beta = {0.5f, -1, 0, 2, 7};
        float[] out = new float[5];
        kernels.layerNorm(x, 0, 1, gamma, beta, 1e-12f, out);
        assertArrayEquals(beta, out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void badArgumentsAreRejectedByName(Kernels kernels) {
        float[] g = new float[4];
        expect("beta", () -> kernels.layerNorm(new float[8], 0, 2, g, new float[3], 1e-5f, new float[8]));
        expect("beta", () -> kernels.layerNorm(new float[8], 0, 2, g, null, 1e-5f, new float[8]));
        expect("gamma", () -> kernels.layerNorm(new float[8], 0, 2, null, g, 1e-5f, new float[8]));
        expect("x", () -> kernels.layerNorm(new float[7], 0, 2, g, g, 1e-5f, new float[8]));
        expect("out", () -> kernels.layerNorm(new float[8], 0, 2, g, g, 1e-5f, new float[7]));
        expect("eps", () -> kernels.layerNorm(new float[8], 0, 2, g, g, 0f, new float[8]));
        expect("width", () -> kernels.layerNorm(new float[8], 0, 2, new float[0], new float[0], 1e-5f, new float[8]));
        expect("toRow", () -> kernels.layerNorm(new float[8], 2, 1, g, g, 1e-5f, new float[8]));
        expect("residual", () -> kernels.addAndLayerNorm(new float[1], new float[8], 0, 2, g, g, 1e-5f, new float[8]));
    }

    private static void expect(String name, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }

    /** Every element within the derived bound and within the acceptance bound 1e-5·max(1, |y|). */
    private static void check(Kernels kernels, float[] a, float[] b, int rows, float[] gamma, float[] beta,
                              double eps, float[] out, String what) {
        int width = gamma.length;
        double u = Bounds.U;
        double sumU = Bounds.sumUnit(kernels);
        int k = KernelSets.sumDepth(kernels, width);
        double[] row = new double[width];
        double[] expected = new double[width];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                // The residual sum is rounded to float, as the kernel (and PyTorch) computes it.
                row[j] = b == null ? a[r * width + j] : (float) (a[r * width + j] + b[r * width + j]);
            }
            Reference.layerNorm(row, gamma, beta, eps, expected);
            double mean = 0;
            double meanAbsD = 0;
            for (double v : row) {
                mean += v;
                meanAbsD += Math.abs(v - row[0]);
            }
            mean /= width;
            meanAbsD /= width;
            double var = 0;
            for (double v : row) {
                var += (v - mean) * (v - mean);
            }
            var /= width;
            double rstd = 1 / Math.sqrt(var + eps);
            double deltaMean = (k * sumU + u) * meanAbsD;
            double maxDeltaC = 0;
            for (double v : row) {
                maxDeltaC = Math.max(maxDeltaC, u * Math.abs(v - row[0]) + deltaMean + u * Math.abs(v - mean));
            }
            double varError = (k + 2) * sumU + 2 * maxDeltaC * Math.sqrt(var) / (var + eps) + u;
            for (int j = 0; j < width; j++) {
                double c = row[j] - mean;
                double deltaC = u * Math.abs(row[j] - row[0]) + deltaMean + u * Math.abs(c);
                double bound = Math.abs(gamma[j]) * rstd * (deltaC + Math.abs(c) * (varError / 2 + 3 * u))
                        + u * Math.abs(expected[j]) + Double.MIN_NORMAL;
                double error = Math.abs(out[r * width + j] - expected[j]);
                if (!(error <= bound) || !(error <= 1e-5 * Math.max(1, Math.abs(expected[j])))) {
                    fail(kernels + " width " + width + " " + what + " row " + r + " col " + j + ": "
                            + out[r * width + j] + " vs " + expected[j] + ", error " + error + " > derived bound "
                            + bound + " or > 1e-5·max(1, |y|)");
                }
            }
        }
    }
}
