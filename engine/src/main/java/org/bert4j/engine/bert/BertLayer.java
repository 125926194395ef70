package org.bert4j.engine.bert;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.TokenBatch;

import java.io.IOException;

/**
 * One Transformer encoder layer: self-attention + Add &amp; Norm, then feed-forward + Add &amp; Norm
 * (Vaswani et al. 2017 §3.1; {@code modeling_bert.py} {@code BertLayer}).
 */
public final class BertLayer {

    private final BertAttention attention;
    private final BertIntermediate intermediate;
    private final BertOutput output;

    private BertLayer(BertAttention attention, BertIntermediate intermediate, BertOutput output) {
        this.attention = attention;
        this.intermediate = intermediate;
        this.output = output;
    }

    /** Loads {@code encoder.layer.<index>.*}. */
    public static BertLayer load(Checkpoint checkpoint, int index, BertConfig c, Compute compute) throws IOException {
        String prefix = "encoder.layer." + index;
        return new BertLayer(BertAttention.load(checkpoint, prefix + ".attention", c, compute),
                BertIntermediate.load(checkpoint, prefix + ".intermediate", c, compute),
                BertOutput.load(checkpoint, prefix + ".output", c, compute));
    }

    /** Transforms ws.hidden in place (through the workspace's other buffers). */
    public void forward(TokenBatch batch, Workspace ws) {
        attention.forward(batch, ws);
        intermediate.forward(batch.totalTokens(), ws);
        output.forward(batch.totalTokens(), ws);
    }
}
