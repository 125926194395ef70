package org.bert4j.engine.kernels.simd;

import org.bert4j.engine.kernels.MatMul;
import org.bert4j.engine.kernels.MatMulArgs;

/**
 * {@link MatMul} on the vector micro-kernel: op(B) packed into {@link Panels panels} on every call (training's
 * weights change every step; packing is one pass over B against k passes of the product), op(A) copied row-major
 * when it comes transposed, then the same {@link MicroKernel} as inference's GEMM, adding to C when β = 1.
 */
final class VectorMatMul implements MatMul {

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
                         int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        MatMulArgs.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (beta == 0f) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        float[] panels = new float[Panels.size(n, k)];
        if (transB) {
            Panels.packTransposed(b, bOff, ldb, n, k, panels);
        } else {
            Panels.pack(b, bOff, ldb, k, n, panels);
        }
        float[] rows = a;
        int rowsOff = aOff;
        int rowsLd = lda;
        if (transA) {
            rows = new float[m * k];
            for (int p = 0; p < k; p++) {
                int src = aOff + p * lda;
                for (int i = 0; i < m; i++) {
                    rows[i * k + p] = a[src + i];
                }
            }
            rowsOff = 0;
            rowsLd = k;
        }
        MicroKernel.gemm(rows, rowsOff, rowsLd, 0, m, panels, n, k, 0, Panels.count(n), c, cOff, ldc, null, null,
                MicroKernel.KC, beta == 1f);
    }

    @Override
    public String name() {
        return "java";
    }
}
