package org.bert4j.engine.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dropout kernel at every width and in the scalar set against {@link DropoutBits} evaluated value by value: the
 * same mask bit for bit (integer arithmetic, nothing to round), and a drop rate that is p's.
 */
class DropoutKernelTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void everyValueIsDroppedOrScaledAsTheHashSays(Kernels kernels) {
        // Ranges that start and end off a vector boundary, and one shorter than any vector.
        int[][] ranges = {{0, 1000}, {3, 997}, {5, 12}, {17, 17}, {0, 65}};
        for (long key : new long[] {0L, 1L, -7L, 0x123456789ABCDEFL}) {
            for (double p : new double[] {0.1, 0.5, 0.9}) {
                int threshold = DropoutBits.threshold(p);
                float keep = (float) (1 / (1 - p));
                for (int[] r : ranges) {
                    float[] x = ramp(1000);
                    kernels.dropout(key, threshold, keep, x, r[0], r[1]);
                    float[] original = ramp(1000);
                    for (int i = 0; i < x.length; i++) {
                        boolean inside = i >= r[0] && i < r[1];
                        float expected = !inside ? original[i]
                                : original[i] * (DropoutBits.bits(key, i) < threshold ? 0f : keep);
                        if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(expected)) {
                            fail(kernels.name() + " key=" + key + " p=" + p + " range " + Arrays.toString(r) + ": x["
                                    + i + "] = " + x[i] + ", expected " + expected);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void aFractionPOfTheValuesIsDropped(Kernels kernels) {
        int n = 1_000_003;
        for (double p : new double[] {0.1, 0.5}) {
            float[] x = new float[n];
            Arrays.fill(x, 1f);
            kernels.dropout(42L, DropoutBits.threshold(p), (float) (1 / (1 - p)), x, 0, n);
            int dropped = 0;
            for (float v : x) {
                dropped += v == 0f ? 1 : 0;
            }
            // Binomial(n, p): five standard deviations either side fail by chance once in ~3.5 million runs.
            assertEquals(n * p, dropped, 5 * Math.sqrt(n * p * (1 - p)), kernels.name() + " p=" + p);
        }
    }

    @Test
    void neighbouringKeysAndIndicesDrawUnrelatedBits() {
        // Keys one apart (consecutive sites, steps) must not give shifted or equal masks: count agreements of the
        // lowest bit between key k and key k + 1, and between index i and i + 1, over many values.
        int n = 200_000;
        int sameKey = 0;
        int sameIndex = 0;
        for (int i = 0; i < n; i++) {
            sameKey += (DropoutBits.bits(5, i) & 1) == (DropoutBits.bits(6, i) & 1) ? 1 : 0;
            sameIndex += (DropoutBits.bits(5, i) & 1) == (DropoutBits.bits(5, i + 1) & 1) ? 1 : 0;
        }
        double sigma = Math.sqrt(n * 0.25);
        assertEquals(n / 2.0, sameKey, 5 * sigma, "keys 5 and 6 agree");
        assertEquals(n / 2.0, sameIndex, 5 * sigma, "neighbouring indices agree");
        assertNotEquals(DropoutBits.bits(5, 0), DropoutBits.bits(5L << 32, 0));
    }

    @Test
    void probabilitiesOutsideZeroToOneAreRejected() {
        assertEquals(0, DropoutBits.threshold(0));
        assertTrue(DropoutBits.threshold(0.999999) > 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DropoutBits.threshold(1));
        assertTrue(e.getMessage().contains("dropout probability"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DropoutBits.threshold(-0.1));
        assertThrows(IllegalArgumentException.class, () -> DropoutBits.threshold(Double.NaN));
    }

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1 + i % 97;
        }
        return x;
    }
}
