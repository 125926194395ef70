package org.bert4j.engine.kernels;

/** The argument checks every {@link AttentionKernel} runs before it computes: each failure names the argument. */
public final class AttentionArgs {
    private AttentionArgs() {}

    /** Checks the shapes and that every sequence's rows lie within qkv and context. */
    public static void check(float[] qkv, int[] starts, int[] lengths, int heads, int headDim, float[] context,
                             ComputePool pool) {
        Checks.positive(heads, "heads");
        Checks.positive(headDim, "headDim");
        Checks.elements(heads, headDim * 3, "qkv row");
        if (starts == null || lengths == null) {
            throw new IllegalArgumentException((starts == null ? "starts" : "lengths") + " must not be null");
        }
        if (starts.length != lengths.length) {
            throw new IllegalArgumentException("starts has " + starts.length + " entries but lengths has "
                    + lengths.length);
        }
        if (pool == null) {
            throw new IllegalArgumentException("pool must not be null");
        }
        int hidden = heads * headDim;
        for (int s = 0; s < starts.length; s++) {
            Checks.nonNegative(starts[s], "starts[" + s + "]");
            Checks.nonNegative(lengths[s], "lengths[" + s + "]");
            long end = (long) starts[s] + lengths[s];
            Checks.holds(qkv, "qkv", 0, end * 3 * hidden);
            Checks.holds(context, "context", 0, end * hidden);
            Checks.elements(lengths[s], lengths[s], "the attention scores");
        }
    }
}
