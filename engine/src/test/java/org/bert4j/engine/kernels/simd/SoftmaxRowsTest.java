package org.bert4j.engine.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Attention's half of the softmax, at the machine's preferred width (this package's classes as the test's class loader
 * defines them; the kernel tests in the parent package run every width through the public interface). Tolerance,
 * relative: the argument a = scale·x − scale·max rounds twice, u·|a| + u·|scale·max| ≤ 6e-8·(5 + 32.5) = 2.2e-6 here,
 * which exp turns into the same relative error, plus exp's own ≤ 2.5e-7 (see the parent package's Bounds): 4e-6.
 * The sums add γ_k, k ≤ 64 + 4 lanes' fold: 4.1e-6, on top of their terms' errors: 1e-5.
 */
class SoftmaxRowsTest {

    @Test
    void exponentiateRowsLeavesTheNumeratorsAndTheirSums() {
        // What attention uses: exp(scale·(x − max)) per entry and each row's sum, the division left to the caller.
        // Rows of very different ranges: a maximum carried to the wrong row shows as sums far from the expected.
        SplittableRandom random = new SplittableRandom(3);
        for (int length : new int[] {1, 7, 8, 33, 512}) {
            int rows = 4;
            int from = 5;
            float[] x = new float[from + rows * length + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) ((random.nextDouble() * 2 - 1) * 10);
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < length; j++) {
                    x[from + r * length + j] += 40 * (r % 2 == 0 ? r : -r);
                }
            }
            float[] before = x.clone();
            float scale = 0.25f;
            float[] sums = new float[rows];
            Softmax.exponentiateRows(x, from, rows, length, scale, sums);
            for (int r = 0; r < rows; r++) {
                int row = from + r * length;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < length; j++) {
                    max = Math.max(max, before[row + j]);
                }
                double sum = 0;
                for (int j = 0; j < length; j++) {
                    double expected = Math.exp(scale * (before[row + j] - max));
                    sum += expected;
                    assertEquals(expected, x[row + j], 4e-6 * expected + 1e-37,
                            "length " + length + ", row " + r + ", entry " + j);
                }
                assertEquals(sum, sums[r], 1e-5 * sum, "sum, length " + length + ", row " + r);
            }
            for (int i : new int[] {0, from - 1, from + rows * length, x.length - 1}) {
                assertEquals(before[i], x[i], "outside the rows, index " + i);
            }
        }
    }

}
