package org.bert4j.training;

import org.bert4j.engine.kernels.ComputePool;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimiser, the clipping and the zeroing spread over threads give exactly what they give on one thread: the
 * pieces are cut by tensor size only (one tensor here spans several pieces, one is smaller than a piece).
 */
class ParallelUpdateTest {

    private static List<Parameter> parameters(long seed) {
        Random random = new Random(seed);
        int[] sizes = {3 * ParameterChunks.SIZE + 17, 5, ParameterChunks.SIZE};
        Parameter[] parameters = new Parameter[sizes.length];
        for (int p = 0; p < sizes.length; p++) {
            float[] value = new float[sizes[p]];
            for (int i = 0; i < value.length; i++) {
                value[i] = (float) random.nextGaussian();
            }
            parameters[p] = new Parameter("p" + p, new int[] {sizes[p]}, value, p != 1);
            float[] grad = parameters[p].gradForBackward();
            for (int i = 0; i < grad.length; i++) {
                grad[i] = (float) (random.nextGaussian() * 0.1);
            }
        }
        return List.of(parameters);
    }

    @Test
    void threadsChangeNoBitOfTheClippingOrTheStep() {
        List<Parameter> alone = parameters(1);
        List<Parameter> spread = parameters(1);
        double reference = 0;
        for (Parameter p : alone) {
            for (float g : p.grad()) {
                reference += (double) g * g;
            }
        }
        try (ComputePool pool = ComputePool.create(2)) {
            AdamW one = new AdamW(alone, 0.01);
            AdamW two = new AdamW(spread, 0.01);
            for (int step = 0; step < 3; step++) {
                double normOne = GradientClipping.clipByGlobalNorm(alone, 1.0);
                double normTwo = GradientClipping.clipByGlobalNorm(spread, 1.0, pool);
                assertEquals(normOne, normTwo, 0.0, "the norm, step " + step);
                if (step == 0) {
                    // Summed in another order than here: a few ulps of a double over 3e5 terms at most.
                    assertEquals(Math.sqrt(reference), normOne, 1e-12 * Math.sqrt(reference));
                }
                one.step(1e-3);
                two.step(1e-3, pool);
                for (int p = 0; p < alone.size(); p++) {
                    assertArrayEquals(alone.get(p).value(), spread.get(p).value(), "values of p" + p + ", step " + step);
                    assertArrayEquals(one.firstMoments(p), two.firstMoments(p), 0f);
                    assertArrayEquals(one.secondMoments(p), two.secondMoments(p), 0f);
                }
            }
        }
    }

    @Test
    void zeroingClearsEveryPieceAndMarksTheTensorsUnreached() {
        List<Parameter> parameters = parameters(2);
        try (ComputePool pool = ComputePool.create(2)) {
            Gradients.zero(parameters, pool);
        }
        for (Parameter p : parameters) {
            assertFalse(p.hasGrad(), p.name());
            for (double g : p.grad()) {
                assertEquals(0.0, g, p.name());
            }
        }
        Gradients.add(parameters.get(1), new float[] {1, 2, 3, 4, 5});
        assertTrue(parameters.get(1).hasGrad());
    }

    @Test
    void steppingAndZeroingInOnePassEqualsSteppingThenZeroing() {
        List<Parameter> separate = parameters(3);
        List<Parameter> fused = parameters(3);
        try (ComputePool pool = ComputePool.create(2)) {
            AdamW one = new AdamW(separate, 0.01);
            AdamW two = new AdamW(fused, 0.01);
            one.step(1e-3, pool);
            Gradients.zero(separate, pool);
            two.stepAndZeroGrad(1e-3, pool);
            for (int p = 0; p < separate.size(); p++) {
                assertArrayEquals(separate.get(p).value(), fused.get(p).value(), "values of p" + p);
                assertArrayEquals(one.secondMoments(p), two.secondMoments(p), 0f);
                assertArrayEquals(separate.get(p).grad(), fused.get(p).grad(), 0f, "gradients of p" + p);
                assertFalse(fused.get(p).hasGrad(), "p" + p + " still reads as reached");
            }
        }
    }
}
