package org.bert4j.engine.kernels;

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
 * of scores (64 × tokens) stays in L2 between the two products.
 */
public final class Attention {
    private Attention() {}

    private static final int QUERY_BLOCK = 64;

    /**
     * Self-attention over one sequence of a packed batch, every head, on the calling thread: rows
     * [tokenOffset, tokenOffset + tokens) of qkv [· × 3·heads·headDim] are read and the same rows of
     * context [· × heads·headDim] written.
     */
    public static void selfAttention(float[] qkv, int tokenOffset, int tokens, int heads, int headDim,
                                     float[] context) {
        checkShape(heads, headDim);
        checkSequence(qkv, context, tokenOffset, tokens, heads * headDim, "tokenOffset", "tokens");
        for (int h = 0; h < heads; h++) {
            head(qkv, tokenOffset, tokens, h, heads, headDim, context);
        }
    }

    /**
     * Self-attention over every sequence of a packed batch — sequence s holds rows
     * [sequenceStarts[s], sequenceStarts[s] + sequenceLengths[s]) — with the (sequence, head) pairs spread over
     * the pool.
     */
    public static void selfAttention(float[] qkv, int[] sequenceStarts, int[] sequenceLengths, int heads,
                                     int headDim, float[] context, ComputePool pool) {
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
        pool.parallelFor(sequenceStarts.length * heads, t -> {
            int s = t / heads;
            head(qkv, sequenceStarts[s], sequenceLengths[s], t % heads, heads, headDim, context);
        });
    }

    private static void head(float[] qkv, int tokenOffset, int tokens, int h, int heads, int headDim,
                             float[] context) {
        if (tokens == 0) {
            return;
        }
        int hidden = heads * headDim;
        int stride = 3 * hidden;
        int qOff = tokenOffset * stride + h * headDim;
        int kOff = qOff + hidden;
        int vOff = qOff + 2 * hidden;

        float[] keys = new float[Panels.size(tokens, headDim)];
        Panels.packTransposed(qkv, kOff, stride, tokens, headDim, keys);
        float[] values = new float[Panels.size(headDim, tokens)];
        Panels.packRows(qkv, vOff, stride, tokens, headDim, values);

        int block = Math.min(QUERY_BLOCK, tokens);
        float[] scores = new float[block * tokens];
        float scale = (float) (1 / Math.sqrt(headDim));
        int keyPanels = Panels.count(tokens);
        int valuePanels = Panels.count(headDim);
        int cOff = tokenOffset * hidden + h * headDim;
        for (int q0 = 0; q0 < tokens; q0 += block) {
            int q1 = Math.min(tokens, q0 + block);
            // scores[i − q0][j] = q_i · k_j
            MicroKernel.gemm(qkv, qOff, stride, q0, q1, keys, tokens, headDim, 0, keyPanels,
                    scores, -q0 * tokens, tokens, null, null);
            for (int i = 0; i < q1 - q0; i++) {
                Softmax.scaledSoftmax(scores, i * tokens, (i + 1) * tokens, scale);
            }
            // context_i = Σ_j p_ij · v_j
            MicroKernel.gemm(scores, -q0 * tokens, tokens, q0, q1, values, headDim, tokens, 0, valuePanels,
                    context, cOff, hidden, null, null);
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
