package org.bert4j.training;

import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Kernels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutTest {

    /** Several blocks and an odd tail, so block boundaries and the last lone value are both exercised. */
    private static final int N = 5 * Dropout.BLOCK + 7;

    /** The vector kernels at three widths and the scalar ones: a run's masks must not depend on the machine. */
    private static final List<Kernels> SETS = List.of(Kernels.vector(128), Kernels.vector(256), Kernels.vector(512),
            Kernels.scalar());

    @Test
    void maskKeepsOneMinusPOfTheValuesScaledByItsInverse() {
        double p = 0.1;
        int n = 1_000_003;
        float[] mask = Dropout.mask(Kernels.vector(), 123, n, p);
        float keep = (float) (1 / (1 - p));
        int kept = 0;
        for (float m : mask) {
            assertTrue(m == 0f || m == keep, "a multiplier is 0 or 1/(1-p), got " + m);
            kept += m == 0f ? 0 : 1;
        }
        // Binomial(n, 1 - p): five standard deviations either side fail by chance once in ~3.5 million runs.
        double sigma = Math.sqrt(n * p * (1 - p));
        assertEquals(n * (1 - p), kept, 5 * sigma, "kept values");
    }

    @Test
    void everyWidthAndThreadCountAppliesTheSameMask() {
        float[] mask = Dropout.mask(Kernels.scalar(), 7, N, 0.25);
        float[] expected = ramp();
        for (int i = 0; i < N; i++) {
            expected[i] *= mask[i];
        }
        for (Kernels kernels : SETS) {
            float[] alone = ramp();
            Dropout.apply(kernels, 7, 0.25, alone, N);
            assertArrayEquals(expected, alone, kernels.name() + ", one thread");
            for (int threads = 1; threads <= 3; threads++) {
                try (ComputePool pool = ComputePool.create(threads)) {
                    Compute compute = new Compute(kernels, kernels.matMul(), pool);
                    float[] x = ramp();
                    Dropout.apply(compute, 7, 0.25, x, N);
                    assertArrayEquals(expected, x, kernels.name() + ", " + threads + " threads");
                }
            }
        }
    }

    @Test
    void seedsAndBlocksDrawTheirOwnMasks() {
        float[] a = Dropout.mask(Kernels.vector(), 1, N, 0.5);
        float[] b = Dropout.mask(Kernels.vector(), 2, N, 0.5);
        assertFalse(Arrays.equals(a, b), "two seeds, one mask");
        float[] first = Arrays.copyOfRange(a, 0, Dropout.BLOCK);
        float[] second = Arrays.copyOfRange(a, Dropout.BLOCK, 2 * Dropout.BLOCK);
        assertFalse(Arrays.equals(first, second), "two blocks repeat one mask");
        assertArrayEquals(a, Dropout.mask(Kernels.vector(), 1, N, 0.5), "the same seed, another mask");
    }

    @Test
    void zeroProbabilityChangesNothing() {
        assertNull(Dropout.mask(Kernels.scalar(), 1, N, 0));
        float[] x = ramp();
        try (ComputePool pool = ComputePool.create(2)) {
            Dropout.apply(new Compute(Kernels.scalar(), Kernels.scalar().matMul(), pool), 1, 0, x, N);
        }
        assertArrayEquals(ramp(), x);
    }

    private static float[] ramp() {
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = 1 + i % 97;
        }
        return x;
    }
}
