package org.bert4j.training;

import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.engine.kernels.MatMul;

/**
 * What a trainable model computes with, chosen once when it is loaded: the kernel set (LayerNorm, activations,
 * softmax and their backward), the matrix product of the chosen backend, and the threads.
 *
 * @param kernels the kernel set
 * @param matMul  every product of the forward and backward passes
 * @param pool    the threads large products and per-head attention are spread over
 */
public record Compute(Kernels kernels, MatMul matMul, ComputePool pool) {

    /** C = op(A)·op(B) + β·C over the pool: a Linear layer's products. */
    public void multiply(boolean transA, boolean transB, int m, int n, int k, float[] a, int lda, float[] b, int ldb,
                  float beta, float[] c, int ldc) {
        matMul.parallel(pool, transA, transB, m, n, k, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
    }
}
