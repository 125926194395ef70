package org.bert4j.engine.bert;

import org.bert4j.engine.kernels.AttentionKernel;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Gemm;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.engine.kernels.Repacking;

/**
 * What one model computes with, chosen once at load: its kernel set, its GEMM backend, its thread pool (the GEMM
 * runs on the same pool, so Java and OpenBLAS threads never oversubscribe the cores), and its attention kernel
 * (which keeps per-thread scratch buffers for this model).
 *
 * @param kernels   LayerNorm, activations, softmax and attention
 * @param gemm      the backend every {@link Linear} multiplies with
 * @param pool      the threads of attention, LayerNorm and the GEMM
 * @param attention the model's self-attention
 * @param repacking the copies of weights the model holds (what could not be read in place) and their cost
 * @param int8      whether the encoder's Linear weights are held in int8 (read so, or quantized at load), see
 *                  {@link org.bert4j.folder.Int8Weight}
 */
public record Compute(Kernels kernels, Gemm gemm, ComputePool pool, AttentionKernel attention, Repacking repacking,
                      boolean int8) {

    /** A kernel set, backend and pool, with the model's own attention kernel and a fresh ledger of copies. */
    public Compute(Kernels kernels, Gemm gemm, ComputePool pool, boolean int8) {
        this(kernels, gemm, pool, kernels.attention(), new Repacking(), int8);
    }

    /** FP32 weights. */
    public Compute(Kernels kernels, Gemm gemm, ComputePool pool) {
        this(kernels, gemm, pool, false);
    }
}
