package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Softmax against the double-precision definition: |error| ≤ 1e-6 · max(p, 1e-3) per probability. */
class SoftmaxTest {

    @Test
    void matchesTheDefinitionForEveryLength() {
        SplittableRandom random = new SplittableRandom(1);
        for (int length = 1; length <= 70; length++) {
            checkRow(Reference.random(random, length, 8), 1f);
        }
        checkRow(Reference.random(random, 512, 20), 1f);
    }

    @Test
    void exponentiateRowsLeavesTheNumeratorsAndTheirSums() {
        // What attention uses: exp(scale·(x − max)) per entry and each row's sum, the division left to the caller.
        // Rows of very different ranges: a maximum carried to the wrong row shows as sums far from the expected.
        SplittableRandom random = new SplittableRandom(3);
        for (int length : new int[] {1, 7, 8, 33, 512}) {
            int rows = 4;
            int from = 5;
            float[] x = Reference.random(random, from + rows * length + 3, 10);
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
                    assertEquals(expected, x[row + j], 1e-6 * Math.max(expected, 1e-3),
                            "length " + length + ", row " + r + ", entry " + j);
                }
                assertEquals(sum, sums[r], 1e-6 * sum, "sum, length " + length + ", row " + r);
            }
            for (int i : new int[] {0, from - 1, from + rows * length, x.length - 1}) {
                assertEquals(before[i], x[i], "outside the rows, index " + i);
            }
        }
    }

    @Test
    void scaledSoftmaxEqualsSoftmaxOfScaledScores() {
        SplittableRandom random = new SplittableRandom(2);
        for (int length : new int[] {1, 9, 128, 131}) {
            checkRow(Reference.random(random, length, 30), (float) (1 / Math.sqrt(32)));
        }
    }

    @Test
    void hugeScoresNeitherOverflowNorUnderflowToNaN() {
        float[] x = {1e30f, 1e30f - 1e24f, -1e30f, 88f, 1000f};
        Softmax.apply(x, 0, x.length);
        double sum = 0;
        for (float p : x) {
            assertTrue(p >= 0 && p <= 1, String.valueOf(p));
            sum += p;
        }
        assertEquals(1, sum, 1e-6);
    }

    @Test
    void onlyTheRowChanges() {
        float[] x = {5, 1, 2, 3, 5};
        Softmax.apply(x, 1, 3);
        assertEquals(5f, x[0]);
        assertEquals(5f, x[4]);
        assertEquals(1, x[1] + x[2] + x[3], 1e-6);
    }

    @Test
    void badArgumentsAreRejectedByName() {
        assertThrows(IllegalArgumentException.class, () -> Softmax.apply(new float[3], 1, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Softmax.apply(new float[3], 0, 0));
        assertTrue(e.getMessage().contains("length"));
        e = assertThrows(IllegalArgumentException.class, () -> Softmax.apply(new float[3], 0, 3, -1f));
        assertTrue(e.getMessage().contains("scale"));
    }

    private static void checkRow(float[] row, float scale) {
        double[] scaled = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            scaled[i] = (double) row[i] * scale;
        }
        double[] expected = Reference.softmax(scaled);
        float[] actual = new float[row.length + 3];
        System.arraycopy(row, 0, actual, 2, row.length);
        Softmax.apply(actual, 2, row.length, scale);
        for (int i = 0; i < row.length; i++) {
            double error = Math.abs(actual[i + 2] - expected[i]);
            assertTrue(error <= 1e-6 * Math.max(expected[i], 1e-3),
                    "length " + row.length + " index " + i + ": " + actual[i + 2] + " vs " + expected[i]);
        }
    }
}
