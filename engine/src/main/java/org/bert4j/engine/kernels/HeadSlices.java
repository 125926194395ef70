package org.bert4j.engine.kernels;

/**
 * Where one attention head of one sequence lives in a packed batch: each token's row of the fused projection is
 * [q | k | v], 3 × hidden wide, with head h at columns h·d … (h+1)·d of each part, and the head's output goes to
 * the same columns of the token's hidden-wide context row.
 *
 * @param stride  floats from one token's qkv row to the next (3 × hidden)
 * @param hidden  floats from one token's context row to the next (heads × headDim)
 * @param query   index in qkv of the sequence's first query of this head
 * @param key     index in qkv of its first key
 * @param value   index in qkv of its first value
 * @param context index in the context of its first output
 * @param scale   1/√headDim, the scale of the dot products
 */
public record HeadSlices(int stride, int hidden, int query, int key, int value, int context, float scale) {

    public static HeadSlices of(int tokenOffset, int h, int heads, int headDim) {
        int hidden = heads * headDim;
        int stride = 3 * hidden;
        int query = tokenOffset * stride + h * headDim;
        return new HeadSlices(stride, hidden, query, query + hidden, query + 2 * hidden,
                tokenOffset * hidden + h * headDim, (float) (1 / Math.sqrt(headDim)));
    }
}
