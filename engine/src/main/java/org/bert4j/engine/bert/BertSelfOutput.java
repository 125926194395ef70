package org.bert4j.engine.bert;

import org.bert4j.folder.BertConfig;

import java.io.IOException;

/**
 * The attention block's output projection, then "Add &amp; Norm" with the block's input
 * ({@code modeling_bert.py} {@code BertSelfOutput}).
 */
public final class BertSelfOutput {

    private final Linear dense;
    private final BertLayerNorm layerNorm;

    private BertSelfOutput(Linear dense, BertLayerNorm layerNorm) {
        this.dense = dense;
        this.layerNorm = layerNorm;
    }

    /** Loads {@code <prefix>.dense} and {@code <prefix>.LayerNorm}. */
    public static BertSelfOutput load(Checkpoint checkpoint, String prefix, BertConfig c, Compute compute)
            throws IOException {
        int h = c.hiddenSize();
        return new BertSelfOutput(Linear.load(checkpoint, prefix + ".dense", h, h, compute),
                BertLayerNorm.load(checkpoint, prefix + ".LayerNorm", h, c.layerNormEps(), compute));
    }

    /** ws.attentionOut = LayerNorm(dense(ws.context) + ws.hidden). */
    public void forward(int tokens, Workspace ws) {
        dense.forward(ws.context, tokens, ws.projected);
        layerNorm.addAndNorm(ws.hidden, ws.projected, tokens, ws.attentionOut);
    }
}
