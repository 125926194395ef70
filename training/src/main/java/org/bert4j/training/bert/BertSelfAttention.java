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
 * <p>The query, key and value projections keep their own tensors (Hugging Face's names) but are multiplied as one
 * stacked [3·hidden × hidden] weight, one product instead of three, as in the engine's forward; each token's row of
 * the result is [q | k | v]. The forward keeps it and each head's P (n² floats per head and sequence); the backward
 * is, per head, dV = P'ᵀ·dC, dP' = dC·Vᵀ, dS = P ⊙ (dP − Σ dP⊙P)·(1/√d) after the dropout's mask, dQ = dS·K,
 * dK = dSᵀ·Q, then the stacked projection's backward into the layer's input.
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
     * What the forward keeps: the input, the [q | k | v] rows, each (sequence, head) pair's P, and the dropout's seed
     * (each pair's mask is drawn again in the backward rather than kept: as many floats as P).
     */
    record Saved(float[] x, float[] qkv, float[][] probs, Long seed, int site) {}

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

    /** The three weights stacked [Wq; Wk; Wv], [3·hidden × hidden]: copied at every use, as training changes them. */
    private float[] stackedWeight() {
        int n = hidden * hidden;
        float[] w = new float[3 * n];
        System.arraycopy(query.weight.value(), 0, w, 0, n);
        System.arraycopy(key.weight.value(), 0, w, n, n);
        System.arraycopy(value.weight.value(), 0, w, 2 * n, n);
        return w;
    }

    /** context [tokens × hidden] from x [tokens × hidden]; {@code site} numbers this layer's dropout streams. */
    Saved forward(Compute compute, TokenBatch batch, float[] x, float[] context, Long seed, int site, boolean save) {
        int tokens = batch.totalTokens();
        int stride = 3 * hidden;
        float[] qkv = new float[tokens * stride];
        compute.multiply(false, true, tokens, stride, hidden, x, hidden, stackedWeight(), hidden, 0f, qkv, stride);
        float[][] biases = {query.bias.value(), key.bias.value(), value.bias.value()};
        compute.forRanges(tokens, stride, (from, to) -> {
            for (int t = from; t < to; t++) {
                for (int part = 0; part < 3; part++) {
                    int row = t * stride + part * hidden;
                    float[] b = biases[part];
                    for (int j = 0; j < hidden; j++) {
                        qkv[row + j] += b[j];
                    }
                }
            }
        });
        int pairs = batch.size() * heads;
        float[][] probs = new float[pairs][];
        float scale = (float) (1 / Math.sqrt(headDim));
        compute.pool().parallelFor(pairs, pair -> {
            int s = pair / heads;
            int h = pair % heads;
            int n = batch.sequenceLengths()[s];
            int q = batch.sequenceStarts()[s] * stride + h * headDim;
            int k = q + hidden;
            int v = q + 2 * hidden;
            // S = Q_h·K_hᵀ, then softmax(S/√d) row by row: P.
            float[] p = new float[n * n];
            compute.matMul().multiply(false, true, n, n, headDim, qkv, q, stride, qkv, k, stride, 0f, p, 0, n);
            for (int i = 0; i < n; i++) {
                compute.kernels().softmax(p, i * n, n, scale);
            }
            float[] dropped = p;
            if (seed != null && dropout > 0) {
                dropped = p.clone();
                Dropout.apply(compute.kernels(), Dropout.seed(seed, site, pair), dropout, dropped, n * n);
            }
            // context_h = P'·V_h
            int c = batch.sequenceStarts()[s] * hidden + h * headDim;
            compute.matMul().multiply(false, false, n, headDim, n, dropped, 0, n, qkv, v, stride, 0f, context, c,
                    hidden);
            if (save) {
                probs[pair] = p;
            }
        });
        return save ? new Saved(x, qkv, probs, seed, site) : null;
    }

    /** dx [tokens × hidden] (overwritten; null when the input's gradient is not needed) from dContext. */
    void backward(Compute compute, Saved saved, TokenBatch batch, float[] dContext, float[] dx) {
        int tokens = batch.totalTokens();
        int stride = 3 * hidden;
        float[] qkv = saved.qkv();
        float[] dqkv = new float[tokens * stride];
        float scale = (float) (1 / Math.sqrt(headDim));
        int pairs = batch.size() * heads;
        compute.pool().parallelFor(pairs, pair -> {
            int s = pair / heads;
            int h = pair % heads;
            int n = batch.sequenceLengths()[s];
            int q = batch.sequenceStarts()[s] * stride + h * headDim;
            int k = q + hidden;
            int v = q + 2 * hidden;
            int c = batch.sequenceStarts()[s] * hidden + h * headDim;
            float[] p = saved.probs()[pair];
            boolean dropping = saved.seed() != null && dropout > 0;
            long maskSeed = dropping ? Dropout.seed(saved.seed(), saved.site(), pair) : 0;
            float[] dropped = p;
            if (dropping) {
                dropped = p.clone();
                Dropout.apply(compute.kernels(), maskSeed, dropout, dropped, n * n);
            }
            // dV_h = P'ᵀ·dC_h; dP' = dC_h·V_hᵀ
            compute.matMul().multiply(true, false, n, headDim, n, dropped, 0, n, dContext, c, hidden, 0f, dqkv, v,
                    stride);
            float[] dp = new float[n * n];
            compute.matMul().multiply(false, true, n, n, headDim, dContext, c, hidden, qkv, v, stride, 0f, dp, 0, n);
            if (dropping) {
                Dropout.apply(compute.kernels(), maskSeed, dropout, dp, n * n);
            }
            // dS = P ⊙ (dP − Σ dP⊙P), times the scale the scores were multiplied by
            for (int i = 0; i < n; i++) {
                compute.kernels().softmaxBackward(p, dp, i * n, n);
            }
            for (int i = 0; i < n * n; i++) {
                dp[i] *= scale;
            }
            // dQ_h = dS·K_h; dK_h = dSᵀ·Q_h
            compute.matMul().multiply(false, false, n, headDim, n, dp, 0, n, qkv, k, stride, 0f, dqkv, q, stride);
            compute.matMul().multiply(true, false, n, headDim, n, dp, 0, n, qkv, q, stride, 0f, dqkv, k, stride);
        });
        // The stacked projection's backward, part by part on dQKV's columns: dW += dQKVᵀ·X, db += Σ dQKV; then
        // dX = dQKV·W.
        Linear[] parts = {query, key, value};
        for (int part = 0; part < 3; part++) {
            compute.multiply(true, false, hidden, hidden, tokens, dqkv, part * hidden, stride, saved.x(), 0, hidden, 1f,
                    parts[part].weight.gradForBackward(), 0, hidden);
            Linear.addColumnSums(compute, dqkv, tokens, stride, part * hidden, hidden,
                    parts[part].bias.gradForBackward());
        }
        if (dx != null) {
            compute.multiply(false, false, tokens, hidden, stride, dqkv, stride, stackedWeight(), hidden, 0f, dx, hidden);
        }
    }
}
