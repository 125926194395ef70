package org.bert4j.engine.kernels;

/** {@link MatMul} as the textbook triple loop with double sums: the scalar kernels' product, and a test oracle. */
final class ScalarMatMul implements MatMul {

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
                         int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        MatMulArgs.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = beta == 0f ? 0 : c[cOff + i * ldc + j];
                for (int p = 0; p < k; p++) {
                    float x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += (double) x * y;
                }
                c[cOff + i * ldc + j] = (float) sum;
            }
        }
    }

    @Override
    public String name() {
        return "java";
    }
}
