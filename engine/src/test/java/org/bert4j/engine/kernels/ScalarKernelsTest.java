package org.bert4j.engine.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cold-start scalar kernels against their vector twins: a fresh JVM's first forwards run the former, later
 * ones the latter, so they must agree to float rounding (the activations are also checked against their
 * definitions in {@link ActivationsTest}).
 */
class ScalarKernelsTest {

    @Test
    void layerNormRowsAgreeWithTheVectorKernel() {
        SplittableRandom random = new SplittableRandom(5);
        for (int width : new int[] {1, 7, 37, 384, 768}) {
            float[] x = Reference.random(random, 3 * width, 4);
            float[] residual = Reference.random(random, 3 * width, 4);
            float[] gamma = Reference.random(random, width, 1);
            float[] beta = Reference.random(random, width, 1);
            float[] scalar = new float[x.length];
            float[] vector = new float[x.length];
            for (int r = 0; r < 3; r++) {
                ScalarKernels.add(residual, x, scalar, r * width, width);
                ScalarKernels.normalizeRow(scalar, scalar, r * width, width, gamma, beta, 1e-12f);
                LayerNorm.addVector(residual, x, vector, r * width, width);
                LayerNorm.normalizeRowVector(vector, vector, r * width, width, gamma, beta, 1e-12f);
            }
            assertClose(vector, scalar, 2e-6, "LayerNorm, width " + width);
        }
    }

    /** Both cold-start attention paths: scalar loops (the pure-Java backend) and OpenBLAS products. */
    @Test
    void coldAttentionHeadsAgreeWithTheVectorKernel() {
        SplittableRandom random = new SplittableRandom(9);
        int heads = 3;
        for (int headDim : new int[] {32, 64, 24}) {
            // 130 tokens: three query blocks, the last one partial.
            for (int tokens : new int[] {1, 5, 70, 130}) {
                int hidden = heads * headDim;
                int offset = 2;   // the sequence starts at row 2 of the packed batch
                float[] qkv = Reference.random(random, (offset + tokens) * 3 * hidden, 2);
                float[] scalar = new float[(offset + tokens) * hidden];
                float[] cold = new float[(offset + tokens) * hidden];
                float[] vector = new float[(offset + tokens) * hidden];
                Attention.Scratch scratch = new Attention.Scratch(tokens, headDim);
                for (int h = 0; h < heads; h++) {
                    ScalarKernels.head(qkv, offset, tokens, h, heads, headDim, scalar, scratch.scores);
                    ColdAttention.head(qkv, offset, tokens, h, heads, headDim, cold, scratch);
                    Attention.headVector(qkv, offset, tokens, h, heads, headDim, vector, scratch);
                }
                String what = tokens + " tokens, head size " + headDim;
                assertClose(vector, scalar, 2e-6, "scalar attention, " + what);
                assertClose(vector, cold, 2e-6, "attention on OpenBLAS, " + what);
                for (int i = 0; i < offset * hidden; i++) {
                    assertTrue(scalar[i] == 0f && cold[i] == 0f, "rows before the sequence are left alone");
                }
            }
        }
    }

    @Test
    void theKernelsLeaveTheScalarPathsOnceTheWarmUpHasCompiledTheVectorCode() {
        VectorKernels.awaitCompiled();
        assertFalse(ColdStart.scalar(1));
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.max(1, Math.abs(expected[i])));
        }
        assertTrue(worst <= tolerance, what + ": max scaled difference " + worst);
    }
}
