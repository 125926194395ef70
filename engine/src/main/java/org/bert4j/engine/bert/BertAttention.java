package org.bert4j.engine.bert;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.TokenBatch;

import java.io.IOException;

/** Self-attention followed by its output projection and Add &amp; Norm ({@code modeling_bert.py} {@code BertAttention}). */
public final class BertAttention {

    private final BertSelfAttention self;
    private final BertSelfOutput output;

    private BertAttention(BertSelfAttention self, BertSelfOutput output) {
        this.self = self;
        this.output = output;
    }

    /** Loads {@code <prefix>.self.*} and {@code <prefix>.output.*}. */
    public static BertAttention load(Checkpoint checkpoint, String prefix, BertConfig c, Compute compute)
            throws IOException {
        return new BertAttention(BertSelfAttention.load(checkpoint, prefix + ".self", c, compute),
                BertSelfOutput.load(checkpoint, prefix + ".output", c, compute));
    }

    /** Reads ws.hidden, writes ws.attentionOut. */
    public void forward(TokenBatch batch, Workspace ws) {
        self.forward(batch, ws);
        output.forward(batch.totalTokens(), ws);
    }
}
