package org.bert4j.engine.bert;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.kernels.Activation;

import java.io.IOException;

/**
 * The first half of the position-wise feed-forward network: dense to {@code intermediate_size}, then the activation
 * named by {@code hidden_act} ({@code modeling_bert.py} {@code BertIntermediate}).
 */
public final class BertIntermediate {

    private final Linear dense;
    private final Activation activation;

    private BertIntermediate(Linear dense, Activation activation) {
        this.dense = dense;
        this.activation = activation;
    }

    /** Loads {@code <prefix>.dense}. */
    public static BertIntermediate load(Checkpoint checkpoint, String prefix, BertConfig c, Compute compute)
            throws IOException {
        return new BertIntermediate(
                Linear.load(checkpoint, prefix + ".dense", c.intermediateSize(), c.hiddenSize(), compute),
                Activation.fromConfig(c.hiddenAct()));
    }

    /** ws.intermediate = act(dense(ws.attentionOut)). */
    public void forward(int tokens, Workspace ws) {
        dense.forward(ws.attentionOut, tokens, activation, ws.intermediate);
    }
}
