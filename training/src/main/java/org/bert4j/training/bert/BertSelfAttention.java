package org.bert4j.training.bert;

import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.folder.BertConfig;
import org.bert4j.training.Compute;
import org.bert4j.training.Dropout;
import org.bert4j.training.Parameter;

import java.io.IOException;
import java.util.List;

/**
 * Multi-head self-attention, trainable (Vaswani et al. 2017 §3.2; {@code modeling_bert.py} {@code BertSelfAttention}):
 * per sequence and head, P = softmax(Q·Kᵀ/√d), dropout on P, context = P·V. Each sequence of the packed batch
 * attends to its own tokens only, which is what the padding mask does in a padded batch.
 *
 * <p>The forward keeps Q, K, V and each head's P (n² floats per head and sequence); the backward is, per head,
 * dV = P'ᵀ·dC, dP' = dC·Vᵀ, dS = P ⊙ (dP − Σ dP⊙P)·(1/√d) after the dropout's mask, dQ = dS·K, dK = dSᵀ·Q, then
 * the three projections' backward into the layer's input.
 */
final class BertSelfAttention {

    final Linear query;
    final Linear key;
    final Linear value;
    private final int heads;
    private final int headDim;
    private final int hidden;
    private final double dropout;

    /**
     * What the forward keeps: the input, the projections, each (sequence, head) pair's P, and the dropout's seed (each
     * pair's mask is drawn again in the backward rather than kept: as many floats as P).
     */
    record Saved(float[] x, float[] q, float[] k, float[] v, float[][] probs, Long seed, int site) {}

    private BertSelfAttention(Linear query, Linear key, Linear value, BertConfig c) {
        this.query = query;
        this.key = key;
        this.value = value;
        this.heads = c.numAttentionHeads();
        this.headDim = c.headDim();
        this.hidden = c.hiddenSize();
        this.dropout = c.attentionProbsDropoutProb();
    }

    static BertSelfAttention load(Checkpoint checkpoint, String prefix, BertConfig c) throws IOException {
        int h = c.hiddenSize();
        return new BertSelfAttention(Linear.load(checkpoint, prefix + ".query", h, h),
                Linear.load(checkpoint, prefix + ".key", h, h), Linear.load(checkpoint, prefix + ".value", h, h), c);
    }

    List<Parameter> parameters() {
        return List.of(query.weight, query.bias, key.weight, key.bias, value.weight, value.bias);
    }

    /** context [tokens × hidden] from x [tokens × hidden]; {@code site} numbers this layer's dropout streams. */
    Saved forward(Compute compute, TokenBatch batch, float[] x, float[] context, Long seed, int site, boolean save) {
        int tokens = batch.totalTokens();
        float[] q = new float[tokens * hidden];
        float[] k = new float[tokens * hidden];
        float[] v = new float[tokens * hidden];
        query.forward(compute, x, tokens, q);
        key.forward(compute, x, tokens, k);
        value.forward(compute, x, tokens, v);
        int pairs = batch.size() * heads;
        float[][] probs = new float[pairs][];
        float scale = (float) (1 / Math.sqrt(headDim));
        compute.pool().parallelFor(pairs, pair -> {
            int s = pair / heads;
            int h = pair % heads;
            int n = batch.sequenceLengths()[s];
            int at = batch.sequenceStarts()[s] * hidden + h * headDim;
            // S = Q_h·K_hᵀ, then softmax(S/√d) row by row: P.
            float[] p = new float[n * n];
            compute.matMul().multiply(false, true, n, n, headDim, q, at, hidden, k, at, hidden, 0f, p, 0, n);
            for (int i = 0; i < n; i++) {
                compute.kernels().softmax(p, i * n, n, scale);
            }
            float[] mask = seed == null ? null : Dropout.mask(Dropout.seed(seed, site, pair), n * n, dropout);
            float[] dropped = p;
            if (mask != null) {
                dropped = p.clone();
                Dropout.apply(mask, dropped, n * n);
            }
            // context_h = P'·V_h
            compute.matMul().multiply(false, false, n, headDim, n, dropped, 0, n, v, at, hidden, 0f, context, at,
                    hidden);
            if (save) {
                probs[pair] = p;
            }
        });
        return save ? new Saved(x, q, k, v, probs, seed, site) : null;
    }

    /** dx [tokens × hidden] (overwritten; null when the input's gradient is not needed) from dContext. */
    void backward(Compute compute, Saved saved, TokenBatch batch, float[] dContext, float[] dx) {
        int tokens = batch.totalTokens();
        float[] dq = new float[tokens * hidden];
        float[] dk = new float[tokens * hidden];
        float[] dv = new float[tokens * hidden];
        float scale = (float) (1 / Math.sqrt(headDim));
        int pairs = batch.size() * heads;
        compute.pool().parallelFor(pairs, pair -> {
            int s = pair / heads;
            int h = pair % heads;
            int n = batch.sequenceLengths()[s];
            int at = batch.sequenceStarts()[s] * hidden + h * headDim;
            float[] p = saved.probs()[pair];
            float[] mask = saved.seed() == null ? null
                    : Dropout.mask(Dropout.seed(saved.seed(), saved.site(), pair), n * n, dropout);
            float[] dropped = p;
            if (mask != null) {
                dropped = p.clone();
                Dropout.apply(mask, dropped, n * n);
            }
            // dV_h = P'ᵀ·dC_h; dP' = dC_h·V_hᵀ
            compute.matMul().multiply(true, false, n, headDim, n, dropped, 0, n, dContext, at, hidden, 0f, dv, at,
                    hidden);
            float[] dp = new float[n * n];
            compute.matMul().multiply(false, true, n, n, headDim, dContext, at, hidden, saved.v(), at, hidden, 0f, dp,
                    0, n);
            Dropout.apply(mask, dp, n * n);
            // dS = P ⊙ (dP − Σ dP⊙P), times the scale the scores were multiplied by
            for (int i = 0; i < n; i++) {
                compute.kernels().softmaxBackward(p, dp, i * n, n);
            }
            for (int i = 0; i < n * n; i++) {
                dp[i] *= scale;
            }
            // dQ_h = dS·K_h; dK_h = dSᵀ·Q_h
            compute.matMul().multiply(false, false, n, headDim, n, dp, 0, n, saved.k(), at, hidden, 0f, dq, at,
                    hidden);
            compute.matMul().multiply(true, false, n, headDim, n, dp, 0, n, saved.q(), at, hidden, 0f, dk, at,
                    hidden);
        });
        query.backward(compute, saved.x(), dq, tokens, dx, false);
        key.backward(compute, saved.x(), dk, tokens, dx, true);
        value.backward(compute, saved.x(), dv, tokens, dx, true);
    }
}
