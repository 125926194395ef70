package org.bert4j.training.bert;

import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.folder.BertConfig;
import org.bert4j.training.Compute;
import org.bert4j.training.Parameter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One Transformer encoder layer, trainable: self-attention + Add &amp; Norm, feed-forward + Add &amp; Norm
 * (Vaswani et al. 2017 §3.1; {@code modeling_bert.py} {@code BertLayer}), and its backward in the reverse order.
 */
final class BertLayer {

    final BertSelfAttention attention;
    final BertSelfOutput attentionOutput;
    final BertIntermediate intermediate;
    final BertSelfOutput output;
    private final int index;
    private final int hidden;
    private final int intermediateSize;

    /** What the forward keeps for the backward. */
    record Saved(BertSelfAttention.Saved attention, float[] context, BertSelfOutput.Saved attentionOutput,
                 float[] attentionOut, BertIntermediate.Saved intermediate, BertSelfOutput.Saved output) {}

    private BertLayer(int index, BertSelfAttention attention, BertSelfOutput attentionOutput,
                      BertIntermediate intermediate, BertSelfOutput output, BertConfig c) {
        this.index = index;
        this.attention = attention;
        this.attentionOutput = attentionOutput;
        this.intermediate = intermediate;
        this.output = output;
        this.hidden = c.hiddenSize();
        this.intermediateSize = c.intermediateSize();
    }

    static BertLayer load(Checkpoint checkpoint, int index, BertConfig c) throws IOException {
        String prefix = "encoder.layer." + index;
        return new BertLayer(index, BertSelfAttention.load(checkpoint, prefix + ".attention.self", c),
                BertSelfOutput.load(checkpoint, prefix + ".attention.output", c.hiddenSize(), c),
                BertIntermediate.load(checkpoint, prefix + ".intermediate", c),
                BertOutput.load(checkpoint, prefix + ".output", c), c);
    }

    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(attention.parameters());
        all.addAll(attentionOutput.parameters());
        all.addAll(intermediate.parameters());
        all.addAll(output.parameters());
        return all;
    }

    /** out = the layer applied to x (both [tokens × hidden]; out may not be x). */
    Saved forward(Compute compute, TokenBatch batch, float[] x, float[] out, Long seed, boolean save) {
        int tokens = batch.totalTokens();
        // Dropout sites 1 + 4·layer ...: the embeddings use site 0.
        int site = 1 + 4 * index;
        float[] context = new float[tokens * hidden];
        BertSelfAttention.Saved a = attention.forward(compute, batch, x, context, seed, site, save);
        float[] attentionOut = new float[tokens * hidden];
        BertSelfOutput.Saved ao = attentionOutput.forward(compute, context, x, tokens, attentionOut, seed, site + 1,
                save);
        float[] inner = new float[tokens * intermediateSize];
        BertIntermediate.Saved i = intermediate.forward(compute, attentionOut, tokens, inner, save);
        BertSelfOutput.Saved o = output.forward(compute, inner, attentionOut, tokens, out, seed, site + 2, save);
        return save ? new Saved(a, context, ao, attentionOut, i, o) : null;
    }

    /** dx (overwritten; null when the input's gradient is not needed) from dOut (overwritten). */
    void backward(Compute compute, Saved saved, TokenBatch batch, float[] dOut, float[] dx) {
        int tokens = batch.totalTokens();
        float[] inner = intermediate.output(compute, saved.intermediate(), tokens);
        float[] dInner = new float[tokens * intermediateSize];
        // dOut becomes d(attention output) through the residual; dInner through the dense layer.
        output.backward(compute, saved.output(), inner, dOut, tokens, dOut, dInner);
        // ... plus the feed-forward's path back to the attention output.
        intermediate.backward(compute, saved.intermediate(), dInner, tokens, dOut, true);
        float[] dContext = new float[tokens * hidden];
        float[] dResidual = new float[tokens * hidden];
        attentionOutput.backward(compute, saved.attentionOutput(), saved.context(), dOut, tokens, dResidual, dContext);
        attention.backward(compute, saved.attention(), batch, dContext, dx);
        if (dx != null) {
            compute.forRanges(tokens * hidden, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    dx[i] += dResidual[i];
                }
            });
        }
    }
}
