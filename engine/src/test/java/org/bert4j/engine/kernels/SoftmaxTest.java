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
    void exponentiateLeavesTheNumeratorsAndReturnsTheirSum() {
        // What attention uses: exp(scale·(x − max)) per entry and the sum, the division left to the caller.
        SplittableRandom random = new SplittableRandom(3);
        for (int length : new int[] {1, 7, 8, 33, 512}) {
            float[] x = Reference.random(random, length, 10);
            float scale = 0.25f;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : x) {
                max = Math.max(max, v);
            }
            double[] expected = new double[length];
            double sum = 0;
            for (int i = 0; i < length; i++) {
                expected[i] = Math.exp(scale * (x[i] - max));
                sum += expected[i];
            }
            float returned = Softmax.exponentiate(x, 0, length, scale);
            assertEquals(sum, returned, 1e-6 * sum, "sum, length " + length);
            for (int i = 0; i < length; i++) {
                assertEquals(expected[i], x[i], 1e-6 * Math.max(expected[i], 1e-3), "entry " + i);
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
