package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Self-attention of every kernel set against the textbook double-precision computation.
 *
 * <p>Error analysis (vector kernels), per output c_i = Σ_j p_ij·v_j with p = softmax(scale·q·k):
 * each score is a float dot product over d dimensions, |δs_ij| ≤ γ_d·Σ|q||k_j|, scaled; the exponent a_ij rounds as
 * in the softmax (u·|a| + u·|scale·max|) and the exponential adds its relative error; so each weight carries a
 * relative error ε_j = scale·|δs_ij| + u·|a_ij| + u·|scale·max_i| + E_exp(a_ij), and the row's sum (W lanes, γ_k)
 * spreads the largest of them to all. The product with V sums n terms in float (γ_n) and the final division adds 2u:
 * <pre>
 *   |δc_i| ≤ Σ_j p_ij·|v_j| · (ε_j + max_j ε_j + γ_n + γ_k + 2u)
 * </pre>
 * The scalar set sums in double; its scores and weights are rounded to float once each and the result once:
 * Σ_j p_ij·|v_j|·(u·scale·|s_ij| + max + 2u) + u·|c_i|.
 */
class AttentionTest {

    /** tokens, heads, head size: single tokens, partial head groups (5, 7, 9 heads), long sequences. */
    private static final int[][] SHAPES = {{1, 1, 1}, {1, 12, 32}, {2, 3, 5}, {7, 2, 8}, {17, 4, 16}, {65, 2, 32},
            {130, 3, 24}, {200, 1, 64}, {45, 5, 24}, {33, 9, 8}, {40, 7, 16}, {512, 2, 32}};

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void everySequenceAndHeadIsWithinTheBound(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(1);
        try (ComputePool pool = ComputePool.create(2)) {
            for (int[] shape : SHAPES) {
                int tokens = shape[0];
                int heads = shape[1];
                int d = shape[2];
                int hidden = heads * d;
                int offset = 3;
                float[] qkv = Reference.random(random, (offset + tokens + 2) * 3 * hidden, 2);
                float[] context = new float[(offset + tokens + 2) * hidden];
                Arrays.fill(context, 42f);
                kernels.attention().apply(qkv, new int[] {offset}, new int[] {tokens}, heads, d, context, pool);
                for (int i = 0; i < context.length; i++) {
                    int row = i / hidden;
                    if (row < offset || row >= offset + tokens) {
                        assertEquals(42f, context[i], "rows outside the sequence stay untouched");
                    }
                }
                checkSequence(kernels, qkv, offset, tokens, heads, d, context, Arrays.toString(shape));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void aPackedBatchEqualsEachSequenceAloneBitForBit(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(2);
        int heads = 6;
        int d = 16;
        int hidden = heads * d;
        int[] lengths = {5, 1, 70, 16, 33};
        int[] starts = starts(lengths);
        int total = starts[lengths.length - 1] + lengths[lengths.length - 1];
        float[] qkv = Reference.random(random, total * 3 * hidden, 3);
        AttentionKernel attention = kernels.attention();
        try (ComputePool one = ComputePool.create(1); ComputePool two = ComputePool.create(2)) {
            float[] alone = new float[total * hidden];
            for (int s = 0; s < lengths.length; s++) {
                attention.apply(qkv, new int[] {starts[s]}, new int[] {lengths[s]}, heads, d, alone, one);
            }
            for (ComputePool pool : new ComputePool[] {one, two}) {
                float[] batched = new float[total * hidden];
                attention.apply(qkv, starts, lengths, heads, d, batched, pool);
                // The same arithmetic in the same order whichever thread computes a head, and kernels that do not
                // change once compiled: equal to the bit. A leak between sequences would be an error of order 1.
                assertArrayEquals(alone, batched, pool.toString());
            }
            for (int s = 0; s < lengths.length; s++) {
                checkSequence(kernels, qkv, starts[s], lengths[s], heads, d, alone, "sequence " + s);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void badArgumentsAreRejectedByName(Kernels kernels) {
        float[] qkv = new float[4 * 3 * 8];
        float[] context = new float[4 * 8];
        AttentionKernel attention = kernels.attention();
        try (ComputePool pool = ComputePool.create(1)) {
            int[] at0 = {0};
            int[] four = {4};
            expect("heads", () -> attention.apply(qkv, at0, four, 0, 8, context, pool));
            expect("headDim", () -> attention.apply(qkv, at0, four, 2, -1, context, pool));
            expect("qkv", () -> attention.apply(qkv, new int[] {1}, four, 2, 4, context, pool));
            expect("context", () -> attention.apply(qkv, at0, four, 2, 4, new float[31], pool));
            expect("starts[0]", () -> attention.apply(qkv, new int[] {-1}, four, 2, 4, context, pool));
            expect("lengths[1]", () -> attention.apply(qkv, new int[] {0, 2}, new int[] {2, -2}, 2, 4, context, pool));
            expect("starts", () -> attention.apply(qkv, at0, new int[] {2, 2}, 2, 4, context, pool));
            expect("pool", () -> attention.apply(qkv, at0, four, 2, 4, context, null));
        }
    }

    /** Every output of one sequence within the bound of the class comment. */
    private static void checkSequence(Kernels kernels, float[] qkv, int offset, int tokens, int heads, int d,
                                      float[] context, String what) {
        int hidden = heads * d;
        int stride = 3 * hidden;
        double scale = (float) (1 / Math.sqrt(d));
        double u = Bounds.U;
        boolean scalar = kernels.vectorBits() == 0;
        double[] expected = Reference.attention(qkv, offset, tokens, heads, d);
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < tokens; i++) {
                int q = (offset + i) * stride + h * d;
                double[] s = new double[tokens];
                double[] magnitude = new double[tokens];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < tokens; j++) {
                    int k = (offset + j) * stride + hidden + h * d;
                    for (int x = 0; x < d; x++) {
                        s[j] += (double) qkv[q + x] * qkv[k + x];
                        magnitude[j] += Math.abs((double) qkv[q + x] * qkv[k + x]);
                    }
                    max = Math.max(max, s[j]);
                }
                double[] p = new double[tokens];
                double[] epsilon = new double[tokens];
                double sum = 0;
                double worst = 0;
                for (int j = 0; j < tokens; j++) {
                    double a = scale * (s[j] - max);
                    p[j] = Math.exp(a);
                    sum += p[j];
                    // 2u·|a|: the scale is rounded to float too (the reference divides by √d exactly).
                    epsilon[j] = scalar ? u * scale * Math.abs(s[j]) + u * Math.abs(a) + u
                            : scale * Bounds.gamma(d) * magnitude[j] + 2 * u * Math.abs(a) + u * Math.abs(scale * max)
                                    + Bounds.expRelative(a);
                    worst = Math.max(worst, epsilon[j]);
                }
                double rest = scalar ? 2 * u
                        : Bounds.gamma(tokens) + Bounds.gamma(KernelSets.sumDepth(kernels, tokens)) + 2 * u;
                for (int x = 0; x < d; x++) {
                    double bound = 0;
                    for (int j = 0; j < tokens; j++) {
                        double v = qkv[(offset + j) * stride + 2 * hidden + h * d + x];
                        bound += p[j] / sum * Math.abs(v) * (epsilon[j] + worst + rest);
                    }
                    double e = expected[i * hidden + h * d + x];
                    bound += (scalar ? u * Math.abs(e) : 0) + 1e-37;
                    double got = context[(offset + i) * hidden + h * d + x];
                    if (!(Math.abs(got - e) <= bound)) {
                        fail(kernels + " " + what + " head " + h + " token " + i + " dim " + x + ": " + got + " vs "
                                + e + ", error " + Math.abs(got - e) + " > " + bound);
                    }
                }
            }
        }
    }

    /** Where each sequence of a packed batch starts: the running sum of the lengths before it. */
    private static int[] starts(int[] lengths) {
        int[] starts = new int[lengths.length];
        for (int s = 1; s < lengths.length; s++) {
            starts[s] = starts[s - 1] + lengths[s - 1];
        }
        return starts;
    }

    private static void expect(String name, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }
}
