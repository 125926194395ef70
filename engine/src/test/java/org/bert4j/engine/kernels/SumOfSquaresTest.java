package org.bert4j.engine.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sum of squares at every width and in the scalar set against the exact sum (BigDecimal): each square of a
 * float is exact in double, so the only error is the n additions', within γ(n)·Σx² in double.
 */
class SumOfSquaresTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void sumsEveryRangeWithinTheDoubleAdditionBound(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[70_001];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * Math.exp(4 * random.nextGaussian()));   // a wide range
        }
        int[][] ranges = {{0, x.length}, {3, 1000}, {5, 12}, {17, 17}, {0, 1}, {65_536, 70_001}};
        for (int[] r : ranges) {
            BigDecimal exact = BigDecimal.ZERO;
            for (int i = r[0]; i < r[1]; i++) {
                exact = exact.add(new BigDecimal((double) x[i] * x[i]));
            }
            double got = kernels.sumOfSquares(x, r[0], r[1]);
            int n = r[1] - r[0];
            double bound = n * 0x1p-53 / (1 - n * 0x1p-53) * exact.doubleValue() + Double.MIN_VALUE;
            assertTrue(Math.abs(exact.subtract(new BigDecimal(got)).doubleValue()) <= bound,
                    kernels.name() + " range " + r[0] + ".." + r[1] + ": " + got + " vs exact " + exact);
            assertEquals(Double.doubleToRawLongBits(got), Double.doubleToRawLongBits(kernels.sumOfSquares(x, r[0], r[1])),
                    "the same range, the same bits");
        }
    }
}
