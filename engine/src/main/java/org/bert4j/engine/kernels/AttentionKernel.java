package org.bert4j.engine.kernels;

/**
 * Scaled dot-product self-attention (Vaswani et al. 2017, §3.2.1) over the sequences of a packed batch: for each
 * head, context = softmax(Q·Kᵀ / √d) · V. One per model: it keeps each thread's scratch buffers between calls.
 *
 * <p>Input rows are the fused projection [q | k | v] of each token (3 × hidden wide, head h at columns h·d … (h+1)·d
 * of each part); output rows are hidden wide. Packed sequences hold no padding, so no mask is needed: sequence s,
 * rows [starts[s], starts[s] + lengths[s]), attends over exactly its own tokens.
 */
public interface AttentionKernel {

    /** Every (sequence, head) pair of the batch, spread over {@code pool}'s threads. */
    void apply(float[] qkv, int[] starts, int[] lengths, int heads, int headDim, float[] context, ComputePool pool);
}
