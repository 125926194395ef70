package org.bert4j.training.bert;

import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.engine.kernels.Activation;
import org.bert4j.folder.BertConfig;
import org.bert4j.training.Compute;
import org.bert4j.training.Parameter;

import java.io.IOException;
import java.util.List;

/**
 * tanh(dense(h[CLS])), trainable (BERT paper §3.1; {@code modeling_bert.py} {@code BertPooler}): what Hugging Face's
 * sequence classification reads. Its backward sends the gradient to each sequence's first token only.
 */
final class BertPooler {

    final Linear dense;
    private final int hidden;

    /** What the forward keeps: the first tokens' states and the activation's input. */
    record Saved(float[] first, float[] preActivation) {}

    private BertPooler(Linear dense, int hidden) {
        this.dense = dense;
        this.hidden = hidden;
    }

    static BertPooler loadIfPresent(Checkpoint checkpoint, BertConfig c) throws IOException {
        if (!checkpoint.contains("pooler.dense.weight")) {
            return null;
        }
        return new BertPooler(Linear.load(checkpoint, "pooler.dense", c.hiddenSize(), c.hiddenSize()), c.hiddenSize());
    }

    List<Parameter> parameters() {
        return List.of(dense.weight, dense.bias);
    }

    /** [sequences × hidden]: the pooled first token of every sequence of the last hidden state. */
    float[] forward(Compute compute, TokenBatch batch, float[] last, Saved[] saved) {
        int n = batch.size();
        float[] first = new float[n * hidden];
        for (int s = 0; s < n; s++) {
            System.arraycopy(last, batch.sequenceStarts()[s] * hidden, first, s * hidden, hidden);
        }
        float[] out = new float[n * hidden];
        dense.forward(compute, first, n, out);
        float[] pre = out.clone();
        compute.kernels().activate(Activation.TANH, out, 0, out.length);
        saved[0] = new Saved(first, pre);
        return out;
    }

    /** Adds the pooler's gradient into dLast's first-token rows, from dPooled (modified in place). */
    void backward(Compute compute, Saved saved, TokenBatch batch, float[] dPooled, float[] dLast) {
        int n = batch.size();
        compute.kernels().activationBackward(Activation.TANH, saved.preActivation(), dPooled, 0, n * hidden);
        float[] dFirst = new float[n * hidden];
        dense.backward(compute, saved.first(), dPooled, n, dFirst, false);
        for (int s = 0; s < n; s++) {
            int row = batch.sequenceStarts()[s] * hidden;
            for (int j = 0; j < hidden; j++) {
                dLast[row + j] += dFirst[s * hidden + j];
            }
        }
    }
}
