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
 * Kᵀ as the right-hand operand), its V likewise, and the queries go through in blocks of about 64 rows so that a block
 * of scores (~64 × tokens) stays in L2 between the two products. The softmax's division by the row sum is left
 * for the end: P·V runs on the unnormalised exponentials and each d-wide output row is divided once, instead of
 * every one of the row's {@code tokens} probabilities (one pass over the scores fewer).
 *
 * <p>The keys and values of up to {@link Scratch#HEADS} heads of a sequence are packed together, in one pass over
 * its tokens ({@link KeyValuePanels}).
 */
public final class Attention {
    private Attention() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int QUERY_BLOCK = 64;
    /**
     * P·V runs over the keys in slices of at most this many: the slices of a head's value panels (2 × 8 KB for a
     * head of 32) and of a strip's scores then stay in L1 while the query strips pass, where whole 512-token panels
     * (2 × 32 KB) were read from L2 for each strip. Attention, median time per call against one slice of 512:
     * 0.963-0.985 at 4 × 512 on 1 thread, 0.97-1.00 at 8 × 512 on 2; slices of 64 did as well. (The Linear layers'
     * GEMMs ran 6-21% slower in such short slices, so they keep {@link MicroKernel#KC}'s.)
     */
    static final int VALUE_SLICE = 128;
    /** The most query rows {@link #queryBlock} gives: QUERY_BLOCK rounded up to whole strips of the micro-kernel. */
    static final int MAX_QUERY_BLOCK = roundUpToStrips(QUERY_BLOCK);

    /**
     * Self-attention over one sequence of a packed batch, every head, on the calling thread: rows
     * [tokenOffset, tokenOffset + tokens) of qkv [· × 3·heads·headDim] are read and the same rows of
     * context [· × heads·headDim] written.
     */
    public static void selfAttention(float[] qkv, int tokenOffset, int tokens, int heads, int headDim,
                                     float[] context) {
        checkShape(heads, headDim);
        checkSequence(qkv, context, tokenOffset, tokens, heads * headDim, "tokenOffset", "tokens");
        Scratch scratch = Scratch.forThisThread(tokens, headDim);
        for (int h = 0; h < heads; h += Scratch.HEADS) {
            heads(qkv, tokenOffset, tokens, h, Math.min(Scratch.HEADS, heads - h), heads, headDim, context, scratch,
                    false);
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
        // A few ranges of (sequence, head) pairs per thread balance mixed lengths.
        pool.parallelForRanges(pairs, pool.threads() * 4, (from, to) -> {
            Scratch scratch = Scratch.forThisThread(maxTokens, headDim);
            for (int t = from; t < to; ) {
                // The range's next heads of the same sequence, at most as many as the scratch packs at once.
                int s = t / heads;
                int end = Math.min(to, Math.min((s + 1) * heads, t + Scratch.HEADS));
                heads(qkv, sequenceStarts[s], sequenceLengths[s], t % heads, end - t, heads, headDim, context,
                        scratch, openBlasWhileCold);
                t = end;
            }
        });
    }

    /**
     * The buffers of a few heads' computation, sized for the longest sequence, reused from head to head: the
     * packed keys and values of up to {@link #HEADS} heads, one block of scores.
     */
    static final class Scratch {
        /** Heads packed at once: 4 × 128 KB of keys and values at 512 tokens × 32 dimensions, within L2. */
        static final int HEADS = 4;

        /**
         * Each thread's scratch, kept between calls and grown when a longer sequence or wider head comes: a forward
         * pass of 8 × 512 tokens would otherwise allocate (and the JVM zero) ~5 MB of it per layer. At most
         * ~1.3 MB per thread that ever ran attention (512 tokens, heads of 64).
         */
        private static final ThreadLocal<Scratch> KEPT = new ThreadLocal<>();

        final int tokens;
        final int headDim;
        final float[][] keys;
        final float[][] values;
        final float[] scores;
        final float[] rowSums;
        /** Where the packing's read-ahead leaves the bits it loaded, so the JIT cannot drop those loads. */
        int touched;

        Scratch(int tokens, int headDim) {
            this.tokens = tokens;
            this.headDim = headDim;
            int block = Math.min(MAX_QUERY_BLOCK, tokens);
            keys = new float[HEADS][Panels.size(tokens, headDim)];
            values = new float[HEADS][Panels.size(headDim, tokens)];
            scores = new float[block * tokens];
            rowSums = new float[block];
        }

        /** A scratch for sequences of up to {@code tokens} tokens and heads of up to {@code headDim}. */
        static Scratch forThisThread(int tokens, int headDim) {
            Scratch kept = KEPT.get();
            if (kept != null && kept.tokens >= tokens && kept.headDim >= headDim) {
                return kept;
            }
            Scratch grown = kept == null ? new Scratch(tokens, headDim)
                    : new Scratch(Math.max(tokens, kept.tokens), Math.max(headDim, kept.headDim));
            KEPT.set(grown);
            return grown;
        }
    }

    /** Heads [h0, h0 + count) of one sequence, count ≤ {@link Scratch#HEADS}. */
    private static void heads(float[] qkv, int tokenOffset, int tokens, int h0, int count, int heads, int headDim,
                              float[] context, Scratch scratch, boolean openBlasWhileCold) {
        if (tokens == 0) {
            return;
        }
        if (ColdStart.scalar((long) tokens * tokens * count)) {
            for (int h = h0; h < h0 + count; h++) {
                if (openBlasWhileCold) {
                    ColdAttention.head(qkv, tokenOffset, tokens, h, heads, headDim, context, scratch);
                } else {
                    ScalarKernels.head(qkv, tokenOffset, tokens, h, heads, headDim, context, scratch.scores);
                }
            }
            return;
        }
        KeyValuePanels.pack(qkv, tokenOffset, tokens, h0, count, heads, headDim, scratch);
        for (int g = 0; g < count; g++) {
            products(qkv, tokenOffset, tokens, h0 + g, heads, headDim, context, scratch, g);
        }
    }

    /** One head on the vector kernels ({@link WarmUp} calls it directly). */
    static void headVector(float[] qkv, int tokenOffset, int tokens, int h, int heads, int headDim,
                           float[] context, Scratch scratch) {
        KeyValuePanels.pack(qkv, tokenOffset, tokens, h, 1, heads, headDim, scratch);
        products(qkv, tokenOffset, tokens, h, heads, headDim, context, scratch, 0);
    }

    /** softmax(Q·Kᵀ/√d)·V for head h, whose keys and values are packed in the scratch's slot {@code slot}. */
    private static void products(float[] qkv, int tokenOffset, int tokens, int h, int heads, int headDim,
                                 float[] context, Scratch scratch, int slot) {
        HeadSlices at = HeadSlices.of(tokenOffset, h, heads, headDim);
        int hidden = at.hidden();
        int stride = at.stride();
        int qOff = at.query();
        float[] keys = scratch.keys[slot];
        float[] values = scratch.values[slot];

        int block = queryBlock(tokens);
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
            Softmax.exponentiateRows(scores, 0, q1 - q0, tokens, scale, sums);
            // context_i = Σ_j exp(s_ij) · v_j / Σ_j exp(s_ij)
            MicroKernel.gemm(scores, -q0 * tokens, tokens, q0, q1, values, headDim, tokens, 0, valuePanels,
                    context, cOff, hidden, null, null, VALUE_SLICE);
            for (int i = q0; i < q1; i++) {
                divide(context, cOff + i * hidden, headDim, sums[i - q0]);
            }
        }
    }

    /**
     * Query rows per block for a sequence of {@code tokens}: the fewest blocks of at most about QUERY_BLOCK rows,
     * each a whole number of the micro-kernel's {@link MicroKernel#MR 6-row} strips where possible. A strip that
     * runs past a block's last row computes (and discards) rows of its own: blocks of 64 did that in every block,
     * 88 strips for 512 tokens where 86 suffice.
     */
    static int queryBlock(int tokens) {
        int blocks = (tokens + QUERY_BLOCK - 1) / QUERY_BLOCK;
        return Math.min(tokens, roundUpToStrips((tokens + blocks - 1) / blocks));
    }

    private static int roundUpToStrips(int rows) {
        return (rows + MicroKernel.MR - 1) / MicroKernel.MR * MicroKernel.MR;
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
