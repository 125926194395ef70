package org.bert4j.engine.kernels.simd;

import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.MatMul;
import org.bert4j.engine.kernels.MatMulArgs;

/**
 * {@link MatMul} on the vector micro-kernel: op(B) packed into {@link Panels panels} on every call (training's
 * weights change every step; packing is one pass over B against k passes of the product), op(A) copied row-major
 * when it comes transposed, then the same {@link MicroKernel} as inference's GEMM, adding to C when β = 1.
 *
 * <p>Over several threads op(B) is packed once, each thread packing a share of the panels, and never once per
 * thread: C is split by columns (each thread multiplies the panels it packed) unless A comes transposed, where C
 * is split by rows so that each thread copies only its own rows of A. Each element's sum runs over k in the same
 * order however C is split, so a product has the same bits on any number of threads.
 */
final class VectorMatMul implements MatMul {

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
                         int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        MatMulArgs.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        if (emptyProduct(m, n, k, beta, c, cOff, ldc)) {
            return;
        }
        float[] panels = new float[Panels.size(n, k)];
        pack(transB, b, bOff, ldb, n, k, panels, 0, Panels.count(n));
        rows(transA, m, k, a, aOff, lda, panels, n, 0, m, 0, Panels.count(n), beta, c, cOff, ldc);
    }

    @Override
    public void parallel(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                         int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if ((long) m * n * k < PARALLEL_WORK || pool.threads() == 1) {
            multiply(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        MatMulArgs.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        int panelCount = Panels.count(n);
        if (emptyProduct(m, n, k, beta, c, cOff, ldc)) {
            return;
        }
        float[] panels = new float[Panels.size(n, k)];
        int packSlices = Math.min(pool.threads(), panelCount);
        if (!transA && panelCount >= pool.threads()) {
            // Each thread packs its panels and multiplies them: no other thread reads them.
            pool.parallelFor(packSlices, s -> {
                int p0 = panelCount * s / packSlices;
                int p1 = panelCount * (s + 1) / packSlices;
                pack(transB, b, bOff, ldb, n, k, panels, p0, p1);
                rows(false, m, k, a, aOff, lda, panels, n, 0, m, p0, p1, beta, c, cOff, ldc);
            });
            return;
        }
        pool.parallelFor(packSlices, s -> pack(transB, b, bOff, ldb, n, k, panels,
                panelCount * s / packSlices, panelCount * (s + 1) / packSlices));
        int rowSlices = Math.max(1, Math.min(pool.threads(), m / MicroKernel.MR));
        pool.parallelFor(rowSlices, s -> rows(transA, m, k, a, aOff, lda, panels, n, (int) ((long) m * s / rowSlices),
                (int) ((long) m * (s + 1) / rowSlices), 0, panelCount, beta, c, cOff, ldc));
    }

    /** True when there is nothing to multiply (m, n or k is 0), after clearing C for β = 0 and k = 0. */
    private static boolean emptyProduct(int m, int n, int k, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return true;
        }
        if (k == 0) {
            if (beta == 0f) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return true;
        }
        return false;
    }

    /** Panels [p0, p1) of op(B). */
    private static void pack(boolean transB, float[] b, int bOff, int ldb, int n, int k, float[] panels, int p0,
                             int p1) {
        if (transB) {
            Panels.packTransposed(b, bOff, ldb, n, k, panels, p0, p1);
        } else {
            Panels.pack(b, bOff, ldb, k, n, panels, p0, p1);
        }
    }

    /** Rows [r0, r1) of C, the columns of panels [p0, p1): op(A)'s rows times the packed panels. */
    private static void rows(boolean transA, int m, int k, float[] a, int aOff, int lda, float[] panels, int n,
                             int r0, int r1, int p0, int p1, float beta, float[] c, int cOff, int ldc) {
        if (r0 >= r1) {
            return;
        }
        if (transA) {
            float[] rows = new float[(r1 - r0) * k];
            transpose(a, aOff + r0, lda, k, r1 - r0, rows);
            MicroKernel.gemm(rows, 0, k, 0, r1 - r0, panels, n, k, p0, p1, c, cOff + r0 * ldc, ldc, null, null,
                    MicroKernel.KC, beta == 1f);
        } else {
            MicroKernel.gemm(a, aOff, lda, r0, r1, panels, n, k, p0, p1, c, cOff, ldc, null, null, MicroKernel.KC,
                    beta == 1f);
        }
    }

    /**
     * dst[i·k + p] = a[aOff + p·lda + i] for i in [0, m): A's columns copied as rows, in 16 × 16 blocks so that
     * the lines read and the lines written both stay in L1 while a block is copied.
     */
    private static void transpose(float[] a, int aOff, int lda, int k, int m, float[] dst) {
        final int block = 16;
        for (int i0 = 0; i0 < m; i0 += block) {
            int i1 = Math.min(m, i0 + block);
            for (int p0 = 0; p0 < k; p0 += block) {
                int p1 = Math.min(k, p0 + block);
                for (int i = i0; i < i1; i++) {
                    int to = i * k;
                    for (int p = p0; p < p1; p++) {
                        dst[to + p] = a[aOff + p * lda + i];
                    }
                }
            }
        }
    }

    @Override
    public String name() {
        return "java";
    }
}
