package org.bert4j.engine.kernels;

import java.lang.foreign.MemorySegment;

/**
 * One head of self-attention for a fresh JVM whose vector kernels are not compiled yet ({@link ColdStart}), when
 * OpenBLAS is at hand: the two products on {@code cblas_sgemm}, native code at full speed from its first call,
 * and the softmax in a scalar loop.
 *
 * <p>Scalar loops alone do the products at 1–2 GFLOP/s before and while the JIT compiles them, about 20 ms per
 * 512-token head: seconds for the first batch of long texts. The arithmetic is {@link Attention}'s: scores
 * q·k, exp(scale·s − scale·max) per row, the unnormalised P·V, one division per output row; only the
 * rounding of the sums differs.
 */
final class ColdAttention {
    private ColdAttention() {}

    /** One head over one sequence of a packed batch, in {@code scratch}'s scores and row sums. */
    static void head(float[] qkv, int tokenOffset, int tokens, int h, int heads, int headDim, float[] context,
                     Attention.Scratch scratch) {
        HeadSlices at = HeadSlices.of(tokenOffset, h, heads, headDim);
        int hidden = at.hidden();
        int stride = at.stride();
        int cOff = at.context();
        float[] scores = scratch.scores;
        float[] sums = scratch.rowSums;
        MemorySegment qkvs = MemorySegment.ofArray(qkv);
        MemorySegment scoress = MemorySegment.ofArray(scores);
        MemorySegment contexts = MemorySegment.ofArray(context);
        // Query rows per block: the scratch holds block × tokens scores.
        int block = Math.min(Attention.QUERY_BLOCK, tokens);
        for (int q0 = 0; q0 < tokens; q0 += block) {
            int rows = Math.min(block, tokens - q0);
            // scores[i][j] = q_i · k_j: the key rows, read in place, are Kᵀ's columns.
            OpenBlas.sgemm(true, rows, tokens, headDim, floats(qkvs, at.query() + q0 * stride), stride,
                    floats(qkvs, at.key()), stride, 0f, scoress, tokens);
            for (int i = 0; i < rows; i++) {
                sums[i] = ScalarKernels.exponentiate(scores, i * tokens, tokens, at.scale());
            }
            // context_i = Σ_j exp(s_ij) · v_j, then divided by the row's sum.
            OpenBlas.sgemm(false, rows, headDim, tokens, scoress, tokens, floats(qkvs, at.value()), stride, 0f,
                    floats(contexts, cOff + q0 * hidden), hidden);
            for (int i = 0; i < rows; i++) {
                ScalarKernels.divide(context, cOff + (q0 + i) * hidden, headDim, sums[i]);
            }
        }
    }

    private static MemorySegment floats(MemorySegment array, long from) {
        return array.asSlice(from * Float.BYTES);
    }
}
