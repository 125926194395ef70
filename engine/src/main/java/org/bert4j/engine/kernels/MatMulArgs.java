package org.bert4j.engine.kernels;

/** The argument checks of {@link MatMul}: every matrix must lie within its array; each failure names it. */
public final class MatMulArgs {
    private MatMulArgs() {}

    /** Checks shapes, offsets, leading dimensions and β ∈ {0, 1}. */
    public static void check(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Checks.nonNegative(m, "m");
        Checks.nonNegative(n, "n");
        Checks.nonNegative(k, "k");
        if (beta != 0f && beta != 1f) {
            throw new IllegalArgumentException("beta must be 0 or 1, got " + beta);
        }
        matrix(a, "a", aOff, lda, transA ? k : m, transA ? m : k);
        matrix(b, "b", bOff, ldb, transB ? n : k, transB ? k : n);
        matrix(c, "c", cOff, ldc, m, n);
    }

    private static void matrix(float[] x, String name, int off, int ld, int rows, int cols) {
        Checks.nonNegative(off, name + " offset");
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(name + ": leading dimension " + ld + " is less than its " + cols
                    + " columns");
        }
        if (rows > 0 && cols > 0) {
            Checks.holds(x, name, off, (long) (rows - 1) * ld + cols);
        }
    }
}
