package org.bert4j.engine.bert;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.kernels.AttentionKernel;
import org.bert4j.engine.kernels.ComputePool;

import java.io.IOException;

/**
 * Multi-head scaled dot-product self-attention, softmax(Q·Kᵀ/√d)·V per head (Vaswani et al. 2017 §3.2;
 * {@code modeling_bert.py} {@code BertSelfAttention}).
 *
 * <p>The query, key and value projections are stacked into one [3·hidden × hidden] weight at load, so one GEMM
 * computes all three. Each sequence of the packed batch attends only to its own tokens, which is what the padding
 * mask achieves in a padded batch, without computing on padding at all.
 */
public final class BertSelfAttention {

    private final Linear queryKeyValue;
    private final int heads;
    private final int headDim;
    private final AttentionKernel attention;
    private final ComputePool pool;

    private BertSelfAttention(Linear queryKeyValue, int heads, int headDim, AttentionKernel attention,
                              ComputePool pool) {
        this.attention = attention;
        this.pool = pool;
        this.queryKeyValue = queryKeyValue;
        this.heads = heads;
        this.headDim = headDim;
    }

    /** Loads and fuses {@code <prefix>.query}, {@code .key} and {@code .value}. */
    public static BertSelfAttention load(Checkpoint checkpoint, String prefix, BertConfig c, Compute compute)
            throws IOException {
        int h = c.hiddenSize();
        Linear qkv = Linear.fused(checkpoint, h, h, compute, prefix + ".query", prefix + ".key", prefix + ".value");
        return new BertSelfAttention(qkv, c.numAttentionHeads(), c.headDim(), compute.attention(), compute.pool());
    }

    /** Reads {@code ws.hidden}, writes the concatenated heads' outputs to {@code ws.context}. */
    public void forward(TokenBatch batch, Workspace ws) {
        queryKeyValue.forward(ws.hidden, batch.totalTokens(), ws.qkv);
        // Every (sequence, head) pair is independent: the kernel spreads them over the pool.
        attention.apply(ws.qkv, batch.sequenceStarts(), batch.sequenceLengths(), heads, headDim, ws.context, pool);
    }
}
