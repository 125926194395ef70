package org.bert4j.engine.bert;

/**
 * The activation buffers of one forward pass. A forward takes a workspace from {@link Workspaces}, owns it alone
 * while it runs (so concurrent forwards on one model never share mutable memory), and gives it back; only the
 * residual stream {@link #hidden()} is new for every forward, because it leaves as the model's output.
 *
 * <p>The other buffers may be larger than the batch needs (a workspace is reused by any batch that fits); every
 * kernel is told the number of tokens and touches only that many rows.
 */
public final class Workspace {

    /** [tokens × hidden]: the residual stream, input and output of every layer. */
    float[] hidden;
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

    private final int capacity;
    private final int hiddenSize;

    /** Allocates buffers for batches of up to {@code tokens} real tokens. */
    public Workspace(int tokens, int hidden, int intermediate) {
        long big = (long) tokens * Math.max(3L * hidden, intermediate);
        if (big > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a batch of " + tokens + " tokens is too large for one forward pass; split it");
        }
        this.capacity = tokens;
        this.hiddenSize = hidden;
        this.hidden = new float[tokens * hidden];
        this.qkv = new float[tokens * 3 * hidden];
        this.context = new float[tokens * hidden];
        this.projected = new float[tokens * hidden];
        this.attentionOut = new float[tokens * hidden];
        this.intermediate = new float[tokens * intermediate];
    }

    /** The most tokens a batch may have to run in this workspace. */
    int capacity() {
        return capacity;
    }

    /** The bytes this workspace holds besides the residual stream (what keeping it idle costs). */
    long reusableBytes() {
        return 4L * (qkv.length + context.length + projected.length + attentionOut.length + intermediate.length);
    }

    /** Starts a forward of {@code tokens} tokens: a fresh residual stream of exactly that many rows. */
    void begin(int tokens) {
        hidden = new float[tokens * hiddenSize];
    }

    /** Ends a forward: its residual stream now belongs to the output, not to this workspace. */
    void end() {
        hidden = null;
    }

    /** A [tokens × hidden] buffer free between layers (the embeddings sum before its LayerNorm). */
    public float[] scratch() {
        return projected;
    }

    /** The residual stream: after {@link BertEncoder#forward} the last hidden state, exactly tokens × hidden. */
    public float[] hidden() {
        return hidden;
    }
}
