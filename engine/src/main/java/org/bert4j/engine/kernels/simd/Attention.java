package org.bert4j.engine.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.bert4j.engine.kernels.AttentionArgs;
import org.bert4j.engine.kernels.AttentionKernel;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.HeadSlices;

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
final class Attention implements AttentionKernel {

    private static final VectorSpecies<Float> S = Width.SPECIES;
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
     * Each thread's scratch, kept between calls and grown when a longer sequence or wider head comes: a forward pass
     * of 8 × 512 tokens would otherwise allocate (and the JVM zero) ~5 MB of it per layer. At most ~1.3 MB per thread
     * that ever ran attention (512 tokens, heads of 64). Per model, not per JVM: it goes with the model.
     */
    private final ThreadLocal<Scratch> kept = new ThreadLocal<>();

    @Override
    public void apply(float[] qkv, int[] starts, int[] lengths, int heads, int headDim, float[] context,
                      ComputePool pool) {
        AttentionArgs.check(qkv, starts, lengths, heads, headDim, context, pool);
        int pairs = starts.length * heads;
        int longest = 0;
        for (int length : lengths) {
            longest = Math.max(longest, length);
        }
        int maxTokens = longest;
        // A few ranges of (sequence, head) pairs per thread balance mixed lengths.
        pool.parallelForRanges(pairs, pool.threads() * 4, (from, to) -> {
            Scratch scratch = scratchForThisThread(maxTokens, headDim);
            for (int t = from; t < to; ) {
                // The range's next heads of the same sequence, at most as many as the scratch packs at once.
                int s = t / heads;
                int end = Math.min(to, Math.min((s + 1) * heads, t + Scratch.HEADS));
                heads(qkv, starts[s], lengths[s], t % heads, end - t, heads, headDim, context, scratch);
                t = end;
            }
        });
    }

    /** A scratch for sequences of up to {@code tokens} tokens and heads of up to {@code headDim}. */
    private Scratch scratchForThisThread(int tokens, int headDim) {
        Scratch scratch = kept.get();
        if (scratch != null && scratch.tokens >= tokens && scratch.headDim >= headDim) {
            return scratch;
        }
        Scratch grown = scratch == null ? new Scratch(tokens, headDim)
                : new Scratch(Math.max(tokens, scratch.tokens), Math.max(headDim, scratch.headDim));
        kept.set(grown);
        return grown;
    }

    /**
     * The buffers of a few heads' computation, sized for the longest sequence, reused from head to head: the
     * packed keys and values of up to {@link #HEADS} heads, one block of scores.
     */
    static final class Scratch {
        /** Heads packed at once: 4 × 128 KB of keys and values at 512 tokens × 32 dimensions, within L2. */
        static final int HEADS = 4;


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

    }

    /** Heads [h0, h0 + count) of one sequence, count ≤ {@link Scratch#HEADS}. */
    private static void heads(float[] qkv, int tokenOffset, int tokens, int h0, int count, int heads, int headDim,
                              float[] context, Scratch scratch) {
        if (tokens == 0) {
            return;
        }
        KeyValuePanels.pack(qkv, tokenOffset, tokens, h0, count, heads, headDim, scratch);
        for (int g = 0; g < count; g++) {
            products(qkv, tokenOffset, tokens, h0 + g, heads, headDim, context, scratch, g);
        }
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
}
