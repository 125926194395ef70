package org.bert4j.engine.bert;

import org.bert4j.folder.BertConfig;

import java.io.IOException;

/**
 * The second half of the feed-forward network: dense back to {@code hidden_size}, then Add &amp; Norm with the
 * attention block's output ({@code modeling_bert.py} {@code BertOutput}; not to be confused with
 * {@link org.bert4j.engine.BertModelOutput}, what a forward pass returns).
 */
public final class BertOutput {

    private final Linear dense;
    private final BertLayerNorm layerNorm;

    private BertOutput(Linear dense, BertLayerNorm layerNorm) {
        this.dense = dense;
        this.layerNorm = layerNorm;
    }

    /** Loads {@code <prefix>.dense} and {@code <prefix>.LayerNorm}. */
    public static BertOutput load(Checkpoint checkpoint, String prefix, BertConfig c, Compute compute)
            throws IOException {
        return new BertOutput(Linear.load(checkpoint, prefix + ".dense", c.hiddenSize(), c.intermediateSize(), compute),
                BertLayerNorm.load(checkpoint, prefix + ".LayerNorm", c.hiddenSize(), c.layerNormEps(), compute));
    }

    /** ws.hidden = LayerNorm(dense(ws.intermediate) + ws.attentionOut): the layer's output. */
    public void forward(int tokens, Workspace ws) {
        dense.forward(ws.intermediate, tokens, ws.projected);
        layerNorm.addAndNorm(ws.attentionOut, ws.projected, tokens, ws.hidden);
    }
}
