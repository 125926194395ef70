package org.bert4j.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product self-attention (Vaswani et al. 2017, §3.2.1) for the sequences of a packed batch:
 * for each head, context = softmax(Q·Kᵀ / √d) · V.
 *
 * <p>Input rows are the fused projection [q | k | v] of each token (3 × hidden wide, head h at columns
 * h·d … (h+1)·d of each part); output rows are hidden wide. Packed sequences hold no padding, so no mask is
 * needed: each sequence attends over exactly its own tokens.
 *
 * <p>Both products run on the Java GEMM's {@link MicroKernel}: a head's K is packed into panels once (that is
 * Kᵀ as the right-hand operand), its V likewise, and the queries go through in blocks of 64 rows so that a block
 * of scores (64 × tokens) stays in L2 between the two products. The softmax's division by the row sum is left
 * for the end: P·V runs on the unnormalised exponentials and each d-wide output row is divided once, instead of
 * every one of the row's {@code tokens} probabilities (one pass over the scores fewer).
 */
public final class Attention {
    private Attention() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int QUERY_BLOCK = 64;

    /**
     * Self-attention over one sequence of a packed batch, every head, on the calling thread: rows
     * [tokenOffset, tokenOffset + tokens) of qkv [· × 3·heads·headDim] are read and the same rows of
     * context [· × heads·headDim] written.
     */
    public static void selfAttention(float[] qkv, int tokenOffset, int tokens, int heads, int headDim,
                                     float[] context) {
        checkShape(heads, headDim);
        checkSequence(qkv, context, tokenOffset, tokens, heads * headDim, "tokenOffset", "tokens");
        Scratch scratch = new Scratch(tokens, headDim);
        for (int h = 0; h < heads; h++) {
            head(qkv, tokenOffset, tokens, h, heads, headDim, context, scratch, false);
        }
    }

    /**
     * Self-attention over every sequence of a packed batch — sequence s holds rows
     * [sequenceStarts[s], sequenceStarts[s] + sequenceLengths[s]) — with the (sequence, head) pairs spread over
     * the pool.
     */
    public static void selfAttention(float[] qkv, int[] sequenceStarts, int[] sequenceLengths, int heads,
                                     int headDim, float[] context, ComputePool pool) {
        selfAttention(qkv, sequenceStarts, sequenceLengths, heads, headDim, context, pool, false);
    }

    /**
     * {@link #selfAttention(float[], int[], int[], int, int, float[], ComputePool)}, and with
     * {@code openBlasWhileCold} a fresh JVM's first calls do the products on OpenBLAS instead of scalar loops until
     * the vector kernels are compiled ({@link ColdAttention}): for a model whose GEMM backend uses OpenBLAS anyway.
     */
    public static void selfAttention(float[] qkv, int[] sequenceStarts, int[] sequenceLengths, int heads,
                                     int headDim, float[] context, ComputePool pool, boolean openBlasWhileCold) {
        checkShape(heads, headDim);
        if (sequenceStarts == null || sequenceLengths == null) {
            throw new IllegalArgumentException((sequenceStarts == null ? "sequenceStarts" : "sequenceLengths")
                    + " must not be null");
        }
        if (sequenceStarts.length != sequenceLengths.length) {
            throw new IllegalArgumentException("sequenceStarts has " + sequenceStarts.length
                    + " entries but sequenceLengths has " + sequenceLengths.length);
        }
        if (pool == null) {
            throw new IllegalArgumentException("pool must not be null");
        }
        int hidden = heads * headDim;
        for (int s = 0; s < sequenceStarts.length; s++) {
            checkSequence(qkv, context, sequenceStarts[s], sequenceLengths[s], hidden,
                    "sequenceStarts[" + s + "]", "sequenceLengths[" + s + "]");
        }
        int pairs = sequenceStarts.length * heads;
        int longest = 0;
        for (int length : sequenceLengths) {
            longest = Math.max(longest, length);
        }
        int maxTokens = longest;
        // A few ranges of (sequence, head) pairs per thread balance mixed lengths; each range allocates its
        // scratch once, not once per head.
        pool.parallelForRanges(pairs, pool.threads() * 4, (from, to) -> {
            Scratch scratch = new Scratch(maxTokens, headDim);
            for (int t = from; t < to; t++) {
                int s = t / heads;
                head(qkv, sequenceStarts[s], sequenceLengths[s], t % heads, heads, headDim, context, scratch,
                        openBlasWhileCold);
            }
        });
    }

    /** The buffers of one head's computation, sized for the longest sequence, reused from head to head. */
    static final class Scratch {
        final float[] keys;
        final float[] values;
        final float[] scores;
        final float[] rowSums;

        Scratch(int tokens, int headDim) {
            int block = Math.min(QUERY_BLOCK, tokens);
            keys = new float[Panels.size(tokens, headDim)];
            values = new float[Panels.size(headDim, tokens)];
            scores = new float[block * tokens];
            rowSums = new float[block];
        }
    }

    private static void head(float[] qkv, int tokenOffset, int tokens, int h, int heads, int headDim,
                             float[] context, Scratch scratch, boolean openBlasWhileCold) {
        if (tokens == 0) {
            return;
        }
        if (ColdStart.scalar((long) tokens * tokens)) {
            if (openBlasWhileCold) {
                ColdAttention.head(qkv, tokenOffset, tokens, h, heads, headDim, context, scratch);
            } else {
                ScalarKernels.head(qkv, tokenOffset, tokens, h, heads, headDim, context, scratch.scores);
            }
            return;
        }
        headVector(qkv, tokenOffset, tokens, h, heads, headDim, context, scratch);
    }

    /** One head on the vector kernels ({@link WarmUp} calls it directly). */
    static void headVector(float[] qkv, int tokenOffset, int tokens, int h, int heads, int headDim,
                           float[] context, Scratch scratch) {
        HeadSlices at = HeadSlices.of(tokenOffset, h, heads, headDim);
        int hidden = at.hidden();
        int stride = at.stride();
        int qOff = at.query();

        float[] keys = scratch.keys;
        Panels.packTransposed(qkv, at.key(), stride, tokens, headDim, keys);
        float[] values = scratch.values;
        Panels.packRows(qkv, at.value(), stride, tokens, headDim, values);

        int block = Math.min(QUERY_BLOCK, tokens);
        float[] scores = scratch.scores;
        float[] sums = scratch.rowSums;
        float scale = at.scale();
        int keyPanels = Panels.count(tokens);
        int valuePanels = Panels.count(headDim);
        int cOff = at.context();
        for (int q0 = 0; q0 < tokens; q0 += block) {
            int q1 = Math.min(tokens, q0 + block);
            // scores[i − q0][j] = q_i · k_j
            MicroKernel.gemm(qkv, qOff, stride, q0, q1, keys, tokens, headDim, 0, keyPanels,
                    scores, -q0 * tokens, tokens, null, null);
            for (int i = 0; i < q1 - q0; i++) {
                sums[i] = Softmax.exponentiate(scores, i * tokens, (i + 1) * tokens, scale);
            }
            // context_i = Σ_j exp(s_ij) · v_j / Σ_j exp(s_ij)
            MicroKernel.gemm(scores, -q0 * tokens, tokens, q0, q1, values, headDim, tokens, 0, valuePanels,
                    context, cOff, hidden, null, null);
            for (int i = q0; i < q1; i++) {
                divide(context, cOff + i * hidden, headDim, sums[i - q0]);
            }
        }
    }

    /** x[off, off + length) /= divisor, as a multiplication by its reciprocal (as softmax itself does). */
    private static void divide(float[] x, int off, int length, float divisor) {
        float inv = 1f / divisor;
        int i = 0;
        for (int bound = S.loopBound(length); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, off + i).mul(inv).intoArray(x, off + i);
        }
        for (; i < length; i++) {
            x[off + i] *= inv;
        }
    }

    private static void checkShape(int heads, int headDim) {
        Checks.positive(heads, "heads");
        Checks.positive(headDim, "headDim");
        Checks.elements(heads, headDim * 3, "qkv row");
    }

    private static void checkSequence(float[] qkv, float[] context, int tokenOffset, int tokens, int hidden,
                                      String offsetName, String tokensName) {
        Checks.nonNegative(tokenOffset, offsetName);
        Checks.nonNegative(tokens, tokensName);
        long end = (long) tokenOffset + tokens;
        Checks.holds(qkv, "qkv", 0, end * 3 * hidden);
        Checks.holds(context, "context", 0, end * hidden);
        Checks.elements(tokens, tokens, "the attention scores");
    }
}
