package org.bert4j.engine.kernels;

/**
 * A general matrix product on the calling thread, C = op(A)·op(B) + β·C, all matrices row-major at an offset with a
 * leading dimension (the floats from one row to the next): what training needs where inference's {@link Gemm} has
 * weights packed once. Backpropagating y = x·Wᵀ + b takes the three products of the same shapes:
 * y = x·Wᵀ (transB), dX = dY·W (neither), dW += dYᵀ·X (transA, β = 1).
 *
 * <p>op(A) is A[k × m]ᵀ when {@code transA}, else A[m × k]; op(B) is B[n × k]ᵀ when {@code transB}, else B[k × n].
 * β is 0 (C overwritten; what it held is ignored, NaN included) or 1 (added to). {@link #parallel} spreads one product
 * over a pool's threads.
 */
public interface MatMul {

    /** Below this many multiply-adds {@link #parallel} keeps a product on the calling thread. */
    long PARALLEL_WORK = 1L << 18;

    /** C[m × n] = op(A)·op(B) + β·C, on the calling thread. */
    void multiply(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
                  int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

    /** The backend's name: "openblas", "java". */
    String name();

    /**
     * C = op(A)·op(B) + β·C with C's rows (or, for few rows, its columns) split over {@code pool}'s threads, each
     * slice one call of this product: the same split, so the same bits, every time at a given thread count.
     */
    default void parallel(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                          int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        MatMulArgs.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        long work = (long) m * n * k;
        int threads = work < PARALLEL_WORK ? 1 : pool.threads();
        // One slice per thread. Each slice is one call, which packs the whole of the operand it does not slice:
        // row slices pack all of op(B), column slices all of op(A). So slice the larger operand's dimension
        // (dW = dYᵀ·X: by X's columns; y = x·Wᵀ over many rows: by rows), and no finer: on short sentences a
        // finer slice is too little work for the packing it repeats (docs/fine-tuning.md, "Speed").
        int slicesWanted = threads;
        if (m >= n) {
            int slices = Math.max(1, Math.min(slicesWanted, m / 8));
            pool.parallelFor(slices, s -> {
                int r0 = (int) ((long) m * s / slices);
                int r1 = (int) ((long) m * (s + 1) / slices);
                if (r1 > r0) {
                    int aAt = transA ? aOff + r0 : aOff + r0 * lda;
                    multiply(transA, transB, r1 - r0, n, k, a, aAt, lda, b, bOff, ldb, beta, c, cOff + r0 * ldc, ldc);
                }
            });
        } else {
            int slices = Math.max(1, Math.min(slicesWanted, n / 16));
            pool.parallelFor(slices, s -> {
                int n0 = (int) ((long) n * s / slices);
                int n1 = (int) ((long) n * (s + 1) / slices);
                if (n1 > n0) {
                    int bAt = transB ? bOff + n0 * ldb : bOff + n0;
                    multiply(transA, transB, m, n1 - n0, k, a, aOff, lda, b, bAt, ldb, beta, c, cOff + n0, ldc);
                }
            });
        }
    }
}
