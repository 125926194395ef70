package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Attention against the textbook double-precision computation: |error| ≤ 1e-5 · max(1, |expected|). */
class AttentionTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void oneSequenceMatchesTheReferenceForManyShapes() {
        checkShapes(new SplittableRandom(1));
    }

    /**
     * The same on the vector kernels for certain: a fresh JVM's first calls may run the cold-start twins instead
     * ({@link ColdStart}). Heads go through in groups of {@link Attention.Scratch#HEADS} (keys and values packed
     * together): 12 heads are three full groups, 5 and 7 end with a partial one.
     */
    @Test
    void theVectorKernelsMatchTheReferenceOnceCompiled() {
        VectorKernels.awaitCompiled();
        checkShapes(new SplittableRandom(4));
        SplittableRandom random = new SplittableRandom(5);
        int[] lengths = {3, 40, 17, 1};
        for (int[] shape : new int[][] {{5, 24}, {7, 16}, {12, 32}}) {
            int heads = shape[0];
            int d = shape[1];
            int hidden = heads * d;
            int[] starts = starts(lengths);
            int total = starts[lengths.length - 1] + lengths[lengths.length - 1];
            float[] qkv = Reference.random(random, total * 3 * hidden, 2);
            try (ComputePool pool = ComputePool.create(2)) {
                float[] context = new float[total * hidden];
                Attention.selfAttention(qkv, starts, lengths, heads, d, context, pool);
                for (int s = 0; s < lengths.length; s++) {
                    double[] expected = Reference.attention(qkv, starts[s], lengths[s], heads, d);
                    for (int i = 0; i < expected.length; i++) {
                        double got = context[starts[s] * hidden + i];
                        assertTrue(Math.abs(got - expected[i]) <= TOLERANCE * Math.max(1, Math.abs(expected[i])),
                                heads + " heads of " + d + ", sequence " + s + " element " + i + ": " + got
                                        + " vs " + expected[i]);
                    }
                }
            }
        }
    }

    /**
     * Query blocks are whole 6-row strips of the micro-kernel but for the last: a sequence computes ⌈tokens / 6⌉
     * strips, no more, in blocks no taller than the scratch's scores hold (blocks of 64 computed 88 for 512 tokens).
     */
    @Test
    void queryBlocksComputeNoStripPastTheLastToken() {
        int mr = MicroKernel.MR;
        for (int tokens = 1; tokens <= 2048; tokens++) {
            int block = Attention.queryBlock(tokens);
            assertTrue(block >= 1 && block <= Math.min(tokens, Attention.MAX_QUERY_BLOCK), tokens + " tokens: " + block);
            int strips = 0;
            for (int q0 = 0; q0 < tokens; q0 += block) {
                strips += (Math.min(block, tokens - q0) + mr - 1) / mr;
            }
            assertEquals((tokens + mr - 1) / mr, strips, tokens + " tokens in blocks of " + block);
        }
    }

    private static void checkShapes(SplittableRandom random) {
        int[][] shapes = {{1, 1, 1}, {1, 12, 32}, {2, 3, 5}, {7, 2, 8}, {17, 4, 16}, {65, 2, 32}, {130, 3, 24},
                {200, 1, 64}, {45, 5, 24}, {33, 9, 8}, {512, 2, 32}};
        for (int[] shape : shapes) {
            int tokens = shape[0];
            int heads = shape[1];
            int d = shape[2];
            int hidden = heads * d;
            int offset = 3;
            float[] qkv = Reference.random(random, (offset + tokens + 2) * 3 * hidden, 2);
            float[] context = new float[(offset + tokens + 2) * hidden];
            Arrays.fill(context, 42f);
            Attention.selfAttention(qkv, offset, tokens, heads, d, context);
            double[] expected = Reference.attention(qkv, offset, tokens, heads, d);
            for (int i = 0; i < context.length; i++) {
                int row = i / hidden;
                if (row < offset || row >= offset + tokens) {
                    assertEquals(42f, context[i], "rows outside the sequence stay untouched");
                } else {
                    double e = expected[i - offset * hidden];
                    assertTrue(Math.abs(context[i] - e) <= TOLERANCE * Math.max(1, Math.abs(e)),
                            Arrays.toString(shape) + " element " + i + ": " + context[i] + " vs " + e);
                }
            }
        }
    }

    @Test
    void aPackedBatchOnThePoolEqualsEachSequenceAlone() {
        SplittableRandom random = new SplittableRandom(2);
        int heads = 4;
        int d = 16;
        int hidden = heads * d;
        int[] lengths = {5, 1, 70, 16, 33};
        int[] starts = starts(lengths);
        int total = starts[lengths.length - 1] + lengths[lengths.length - 1];
        float[] qkv = Reference.random(random, total * 3 * hidden, 3);
        float[] alone = new float[total * hidden];
        for (int s = 0; s < lengths.length; s++) {
            Attention.selfAttention(qkv, starts[s], lengths[s], heads, d, alone);
        }
        for (int threads : new int[] {1, 2}) {
            try (ComputePool pool = ComputePool.create(threads)) {
                float[] batched = new float[total * hidden];
                Attention.selfAttention(qkv, starts, lengths, heads, d, batched, pool);
                // Equal up to rounding, not to the bit: the JIT may run one of the two calls interpreted or on
                // the cold-start scalar twins, whose sums (reduceLanes, exp) round differently from C2's. A leak
                // between sequences would be an error of order 1.
                assertClose(alone, batched, 2e-6, "threads=" + threads);
            }
        }
    }

    @Test
    void badArgumentsAreRejectedByName() {
        float[] qkv = new float[4 * 3 * 8];
        float[] context = new float[4 * 8];
        expect("heads", () -> Attention.selfAttention(qkv, 0, 4, 0, 8, context));
        expect("headDim", () -> Attention.selfAttention(qkv, 0, 4, 2, -1, context));
        expect("qkv", () -> Attention.selfAttention(qkv, 1, 4, 2, 4, context));
        expect("context", () -> Attention.selfAttention(qkv, 0, 4, 2, 4, new float[31]));
        expect("tokenOffset", () -> Attention.selfAttention(qkv, -1, 4, 2, 4, context));
        try (ComputePool pool = ComputePool.create(1)) {
            expect("sequenceLengths[1]", () -> Attention.selfAttention(qkv, new int[] {0, 2}, new int[] {2, -2}, 2, 4,
                    context, pool));
            expect("sequenceStarts", () -> Attention.selfAttention(qkv, new int[] {0}, new int[] {2, 2}, 2, 4,
                    context, pool));
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

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance * Math.max(1, Math.abs(expected[i])),
                    what + ": element " + i + " " + actual[i] + " vs " + expected[i]);
        }
    }
}
