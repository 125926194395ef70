package org.bert4j.engine.kernels;

import java.lang.foreign.MemorySegment;

/** {@link MatMul} on OpenBLAS's {@code cblas_sgemm}, single-threaded per call (the pool splits large products). */
final class OpenBlasMatMul implements MatMul {

    OpenBlasMatMul() {
        OpenBlas.require();
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
                         int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        MatMulArgs.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // OpenBLAS would scale C by β; β = 0 means "overwrite", which must also clear NaNs.
            clear(beta, m, n, c, cOff, ldc);
            return;
        }
        // With β = 0 OpenBLAS overwrites C without reading it (its beta routine stores zeros), so a NaN there does
        // not leak in (MatMulTest checks it).
        OpenBlas.sgemm(transA, transB, m, n, k, slice(a, aOff), lda, slice(b, bOff), ldb, beta, slice(c, cOff), ldc);
    }

    private static void clear(float beta, int m, int n, float[] c, int cOff, int ldc) {
        if (beta == 0f) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
    }

    private static MemorySegment slice(float[] x, int off) {
        return MemorySegment.ofArray(x).asSlice((long) off * Float.BYTES);
    }

    @Override
    public String name() {
        return "openblas";
    }
}
