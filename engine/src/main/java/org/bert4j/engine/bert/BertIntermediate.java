package org.bert4j.engine.bert;

import org.bert4j.engine.BertConfig;

import java.io.IOException;

/**
 * The first half of the position-wise feed-forward network: dense to {@code intermediate_size}, then the activation
 * named by {@code hidden_act} ({@code modeling_bert.py} {@code BertIntermediate}).
 */
public final class BertIntermediate {

    private final Linear dense;
    private final String hiddenAct;

    private BertIntermediate(Linear dense, String hiddenAct) {
        this.dense = dense;
        this.hiddenAct = hiddenAct;
    }

    /** Loads {@code <prefix>.dense}. */
    public static BertIntermediate load(Checkpoint checkpoint, String prefix, BertConfig c) throws IOException {
        return new BertIntermediate(Linear.load(checkpoint, prefix + ".dense", c.intermediateSize(), c.hiddenSize()),
                c.hiddenAct());
    }

    /** ws.intermediate = act(dense(ws.attentionOut)). */
    public void forward(int tokens, Workspace ws) {
        dense.forward(ws.attentionOut, tokens, ws.intermediate);
        PlaceholderKernels.activate(hiddenAct, ws.intermediate, 0, tokens * dense.out());
    }
}
