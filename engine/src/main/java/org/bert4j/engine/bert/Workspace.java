package org.bert4j.engine.bert;

/**
 * The activation buffers of one forward pass, sized for its packed batch. Each forward owns its workspace, so
 * concurrent forwards on one model never share mutable memory.
 */
public final class Workspace {

    /** [tokens × hidden]: the residual stream, input and output of every layer. */
    final float[] hidden;
    /** [tokens × 3·hidden]: the fused query | key | value projections. */
    final float[] qkv;
    /** [tokens × hidden]: the attention heads' outputs, concatenated. */
    final float[] context;
    /** [tokens × hidden]: an output projection before its residual add. */
    final float[] projected;
    /** [tokens × hidden]: the attention block's output (the feed-forward block's residual). */
    final float[] attentionOut;
    /** [tokens × intermediate]: the feed-forward layer's inner activations. */
    final float[] intermediate;

    /** Allocates buffers for a batch of {@code tokens} real tokens. */
    public Workspace(int tokens, int hidden, int intermediate) {
        long big = (long) tokens * Math.max(3L * hidden, intermediate);
        if (big > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a batch of " + tokens + " tokens is too large for one forward pass; split it");
        }
        this.hidden = new float[tokens * hidden];
        this.qkv = new float[tokens * 3 * hidden];
        this.context = new float[tokens * hidden];
        this.projected = new float[tokens * hidden];
        this.attentionOut = new float[tokens * hidden];
        this.intermediate = new float[tokens * intermediate];
    }

    /** A [tokens × hidden] buffer free between layers (the embeddings sum before its LayerNorm). */
    public float[] scratch() {
        return projected;
    }

    /** The residual stream: after {@link BertEncoder#forward} the last hidden state. */
    public float[] hidden() {
        return hidden;
    }
}
