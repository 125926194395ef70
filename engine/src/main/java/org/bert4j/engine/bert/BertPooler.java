package org.bert4j.engine.bert;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.kernels.Activation;
import org.bert4j.engine.kernels.Kernels;

import java.io.IOException;

/**
 * tanh(dense(h[CLS])): the sentence vector of BERT's pre-training next-sentence head (BERT paper §3.1;
 * {@code modeling_bert.py} {@code BertPooler}). Checkpoints exported for embeddings often drop it.
 */
public final class BertPooler {

    private final Linear dense;
    private final int hidden;
    private final Kernels kernels;

    private BertPooler(Linear dense, int hidden, Kernels kernels) {
        this.dense = dense;
        this.hidden = hidden;
        this.kernels = kernels;
    }

    /** Loads {@code pooler.dense}, or returns null when the checkpoint has no pooler. */
    public static BertPooler loadIfPresent(Checkpoint checkpoint, BertConfig c, Compute compute) throws IOException {
        if (!checkpoint.contains("pooler.dense.weight")) {
            return null;
        }
        int h = c.hiddenSize();
        return new BertPooler(Linear.load(checkpoint, "pooler.dense", h, h, compute), h, compute.kernels());
    }

    /** Returns [sequences × hidden]: the pooled first token of every sequence of the last hidden state. */
    public float[] forward(TokenBatch batch, float[] lastHidden) {
        int n = batch.size();
        float[] cls = new float[n * hidden];
        for (int s = 0; s < n; s++) {
            System.arraycopy(lastHidden, batch.sequenceStarts()[s] * hidden, cls, s * hidden, hidden);
        }
        float[] out = new float[n * hidden];
        dense.forward(cls, n, out);
        kernels.activate(Activation.TANH, out, 0, out.length);
        return out;
    }
}
