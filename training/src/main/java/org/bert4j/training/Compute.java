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

    /** Below this many elements an element-wise loop costs more in wake-ups than the threads save. */
    static final long PARALLEL_ELEMENTS = 16_384;

    /**
     * Runs {@code body} over [0, n) in one contiguous range per thread when the loop touches enough elements
     * ({@code n} iterations of {@code width} each), otherwise on this thread: the element-wise work between the
     * products (bias, activation, dropout, residual), which on one thread would leave the others waiting.
     */
    public void forRanges(int n, int width, ComputePool.RangeBody body) {
        int threads = threadsFor((long) n * width);
        if (threads == 1) {
            body.accept(0, n);
        } else {
            pool.parallelForRanges(n, threads, body);
        }
    }

    /** How many threads a loop over {@code elements} elements is worth: all of them, or this one below the bar. */
    public int threadsFor(long elements) {
        return elements < PARALLEL_ELEMENTS ? 1 : pool.threads();
    }

    /** C = op(A)·op(B) + β·C over the pool: a Linear layer's products. */
    public void multiply(boolean transA, boolean transB, int m, int n, int k, float[] a, int lda, float[] b, int ldb,
                  float beta, float[] c, int ldc) {
        matMul.parallel(pool, transA, transB, m, n, k, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
    }

    /** The same with offsets into A, B and C: a product on a block of columns of a wider matrix. */
    public void multiply(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
                         int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        matMul.parallel(pool, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
