package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** LayerNorm against the double-precision definition: |error| ≤ 1e-5 · max(1, |expected|). */
class LayerNormTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void normalisesEveryRowForOddAndVectorWidths() {
        SplittableRandom random = new SplittableRandom(1);
        for (int width : new int[] {1, 2, 7, 8, 9, 31, 384, 385, 768}) {
            for (int rows : new int[] {1, 3}) {
                float[] x = Reference.random(random, rows * width, 4);
                for (int i = 0; i < x.length; i++) {
                    x[i] += 100; // a large mean: the two-pass variance must not cancel
                }
                float[] gamma = Reference.random(random, width, 2);
                float[] beta = Reference.random(random, width, 1);
                float[] out = new float[rows * width];
                LayerNorm.apply(x, rows, width, gamma, beta, 1e-12f, out);
                check(x, null, rows, width, gamma, beta, 1e-12, out);
            }
        }
    }

    @Test
    void addAndNormEqualsNormOfTheSumAndMayWriteInPlace() {
        SplittableRandom random = new SplittableRandom(2);
        int rows = 5;
        int width = 45;
        float[] residual = Reference.random(random, rows * width, 3);
        float[] x = Reference.random(random, rows * width, 3);
        float[] gamma = Reference.random(random, width, 2);
        float[] beta = Reference.random(random, width, 1);
        float[] out = residual.clone();
        LayerNorm.addAndNorm(out, x, rows, width, gamma, beta, 1e-5f, out);
        check(residual, x, rows, width, gamma, beta, 1e-5, out);
    }

    @Test
    void poolVersionsGiveTheSameRows() {
        SplittableRandom random = new SplittableRandom(3);
        int rows = 300;
        int width = 96;
        float[] residual = Reference.random(random, rows * width, 3);
        float[] x = Reference.random(random, rows * width, 3);
        float[] gamma = Reference.random(random, width, 2);
        float[] beta = Reference.random(random, width, 1);
        try (ComputePool pool = ComputePool.create(2)) {
            float[] serial = new float[rows * width];
            LayerNorm.addAndNorm(residual, x, rows, width, gamma, beta, 1e-12f, serial);
            float[] parallel = new float[rows * width];
            LayerNorm.addAndNorm(residual, x, rows, width, gamma, beta, 1e-12f, parallel, pool);
            // Equal up to rounding, not to the bit: the JIT may run one of the two calls interpreted or on the
            // cold-start scalar twins, whose sums (reduceLanes) round differently from C2's. A row written by the
            // wrong task, or twice, would be an error of order 1.
            assertClose(serial, parallel);
            LayerNorm.apply(x, rows, width, gamma, beta, 1e-12f, serial);
            LayerNorm.apply(x, rows, width, gamma, beta, 1e-12f, parallel, pool);
            assertClose(serial, parallel);
        }
    }

    @Test
    void aConstantRowBecomesBeta() {
        float[] x = {3, 3, 3, 3, 3};
        float[] gamma = {1, 2, 3, 4, 5};
        float[] beta = {0.5f, -1, 0, 2, 7};
        float[] out = new float[5];
        LayerNorm.apply(x, 1, 5, gamma, beta, 1e-12f, out);
        assertTrue(java.util.Arrays.equals(beta, out));
    }

    @Test
    void badArgumentsAreRejectedByName() {
        float[] g = new float[4];
        expect("gamma", () -> LayerNorm.apply(new float[8], 2, 4, new float[3], g, 1e-5f, new float[8]));
        expect("beta", () -> LayerNorm.apply(new float[8], 2, 4, g, null, 1e-5f, new float[8]));
        expect("x", () -> LayerNorm.apply(new float[7], 2, 4, g, g, 1e-5f, new float[8]));
        expect("out", () -> LayerNorm.apply(new float[8], 2, 4, g, g, 1e-5f, new float[7]));
        expect("eps", () -> LayerNorm.apply(new float[8], 2, 4, g, g, 0f, new float[8]));
        expect("width", () -> LayerNorm.apply(new float[8], 2, 0, g, g, 1e-5f, new float[8]));
        expect("residual", () -> LayerNorm.addAndNorm(new float[1], new float[8], 2, 4, g, g, 1e-5f, new float[8]));
    }

    private static void expect(String name, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }

    private static void check(float[] a, float[] b, int rows, int width, float[] gamma, float[] beta, double eps,
                              float[] out) {
        double[] row = new double[width];
        double[] expected = new double[width];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                // The residual sum is rounded to float, as the kernel (and onnxruntime) computes it.
                row[j] = b == null ? a[r * width + j] : (float) (a[r * width + j] + b[r * width + j]);
            }
            Reference.layerNorm(row, gamma, beta, eps, expected);
            for (int j = 0; j < width; j++) {
                double error = Math.abs(out[r * width + j] - expected[j]);
                assertTrue(error <= TOLERANCE * Math.max(1, Math.abs(expected[j])),
                        "width " + width + " row " + r + " col " + j + ": " + out[r * width + j] + " vs " + expected[j]);
            }
        }
    }

    private static void assertClose(float[] serial, float[] parallel) {
        for (int i = 0; i < serial.length; i++) {
            assertTrue(Math.abs(serial[i] - parallel[i]) <= 2e-6 * Math.max(1, Math.abs(serial[i])),
                    "element " + i + ": " + parallel[i] + " vs " + serial[i]);
        }
    }
}
