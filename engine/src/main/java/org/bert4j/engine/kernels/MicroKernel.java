package org.bert4j.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java GEMM's inner loops: C = A · B (+ bias) for a block of rows and a range of {@link Panels panels},
 * single-threaded.
 *
 * <p>The micro-kernel keeps a 6 × 16 tile of C in twelve AVX2 registers while it walks k: per step it loads two
 * vectors of the packed panel, broadcasts one element of each of the six rows of A and does twelve fused
 * multiply-adds (twelve accumulators + two B vectors + one broadcast = 15 of the 16 ymm registers). Around it
 * the loops are blocked for the caches (Goto and van de Geijn, "Anatomy of High-Performance Matrix
 * Multiplication", 2008): a slice of KC steps of k at a time, and a block of panels sized to stay in L2 while
 * every six-row strip of A streams past it.
 */
final class MicroKernel {
    private MicroKernel() {}

    private static final VectorSpecies<Float> S = Panels.SPECIES;
    private static final int L = S.length();
    static final int NR = Panels.NR;
    static final int MR = 6;
    /** The longest slice of k: a 6-row strip of A (12 KB) stays in L1 across a block of panels. */
    private static final int KC = 512;
    /** The bytes of packed panels kept in L2 while strips of A stream past them. */
    private static final int PANEL_BLOCK_BYTES = 384 * 1024;

    /**
     * C[i][j] = bias[j] + Σ_kk A[i][kk] · B[kk][j] for rows i in [r0, r1) and the columns j of panels [p0, p1)
     * (j < n), then the activation (if any) over those entries. A[i][kk] is at {@code aOff + i * lda + kk};
     * C[i][j] at {@code cOff + i * ldc + j}; B is packed panels of an operand with n columns and k rows.
     */
    static void gemm(float[] a, int aOff, int lda, int r0, int r1,
                     float[] b, int n, int k, int p0, int p1,
                     float[] c, int cOff, int ldc, float[] bias, Activation activation) {
        if (r0 >= r1 || p0 >= p1) {
            return;
        }
        int kBlocks = (k + KC - 1) / KC;
        int kc = (k + kBlocks - 1) / kBlocks;
        int panelBlock = Math.max(1, PANEL_BLOCK_BYTES / (kc * NR * Float.BYTES));
        for (int k0 = 0; k0 < k; k0 += kc) {
            int kLen = Math.min(kc, k - k0);
            boolean first = k0 == 0;
            boolean last = k0 + kLen == k;
            for (int pb = p0; pb < p1; pb += panelBlock) {
                int pe = Math.min(p1, pb + panelBlock);
                for (int i = r0; i < r1; i += MR) {
                    int m = Math.min(MR, r1 - i);
                    for (int p = pb; p < pe; p++) {
                        int col = p * NR;
                        tile(a, aOff + i * lda + k0, lda, m,
                                b, p * k * NR + k0 * NR, kLen,
                                c, cOff + i * ldc + col, ldc, Math.min(NR, n - col),
                                first, bias, col);
                    }
                    if (last && activation != null) {
                        int from = pb * NR;
                        int to = Math.min(pe * NR, n);
                        for (int r = 0; r < m; r++) {
                            int row = cOff + (i + r) * ldc;
                            activation.apply(c, row + from, row + to);
                        }
                    }
                }
            }
        }
    }

    /**
     * One tile: rows [0, m) of a 6-row strip (m ≤ 6) times one panel, over kLen steps of k. Rows past m repeat
     * the last real row (computed, never stored), so every strip runs the same register-blocked loop.
     */
    private static void tile(float[] a, int aOff, int lda, int m,
                             float[] b, int bOff, int kLen,
                             float[] c, int cOff, int ldc, int cols,
                             boolean first, float[] bias, int biasOff) {
        int last = m - 1;
        int a0 = aOff;
        int a1 = aOff + lda * Math.min(1, last);
        int a2 = aOff + lda * Math.min(2, last);
        int a3 = aOff + lda * Math.min(3, last);
        int a4 = aOff + lda * Math.min(4, last);
        int a5 = aOff + lda * Math.min(5, last);
        boolean full = cols == NR;
        VectorMask<Float> m0 = full ? null : S.indexInRange(0, cols);
        VectorMask<Float> m1 = full ? null : S.indexInRange(L, cols);

        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (first) {
            FloatVector z0;
            FloatVector z1;
            if (bias == null) {
                z0 = FloatVector.zero(S);
                z1 = z0;
            } else if (full) {
                z0 = FloatVector.fromArray(S, bias, biasOff);
                z1 = FloatVector.fromArray(S, bias, biasOff + L);
            } else {
                z0 = FloatVector.fromArray(S, bias, biasOff, m0);
                z1 = FloatVector.fromArray(S, bias, biasOff + L, m1);
            }
            c00 = z0; c10 = z0; c20 = z0; c30 = z0; c40 = z0; c50 = z0;
            c01 = z1; c11 = z1; c21 = z1; c31 = z1; c41 = z1; c51 = z1;
        } else {
            int o0 = cOff;
            int o1 = cOff + ldc * Math.min(1, last);
            int o2 = cOff + ldc * Math.min(2, last);
            int o3 = cOff + ldc * Math.min(3, last);
            int o4 = cOff + ldc * Math.min(4, last);
            int o5 = cOff + ldc * Math.min(5, last);
            if (full) {
                c00 = FloatVector.fromArray(S, c, o0); c01 = FloatVector.fromArray(S, c, o0 + L);
                c10 = FloatVector.fromArray(S, c, o1); c11 = FloatVector.fromArray(S, c, o1 + L);
                c20 = FloatVector.fromArray(S, c, o2); c21 = FloatVector.fromArray(S, c, o2 + L);
                c30 = FloatVector.fromArray(S, c, o3); c31 = FloatVector.fromArray(S, c, o3 + L);
                c40 = FloatVector.fromArray(S, c, o4); c41 = FloatVector.fromArray(S, c, o4 + L);
                c50 = FloatVector.fromArray(S, c, o5); c51 = FloatVector.fromArray(S, c, o5 + L);
            } else {
                c00 = FloatVector.fromArray(S, c, o0, m0); c01 = FloatVector.fromArray(S, c, o0 + L, m1);
                c10 = FloatVector.fromArray(S, c, o1, m0); c11 = FloatVector.fromArray(S, c, o1 + L, m1);
                c20 = FloatVector.fromArray(S, c, o2, m0); c21 = FloatVector.fromArray(S, c, o2 + L, m1);
                c30 = FloatVector.fromArray(S, c, o3, m0); c31 = FloatVector.fromArray(S, c, o3 + L, m1);
                c40 = FloatVector.fromArray(S, c, o4, m0); c41 = FloatVector.fromArray(S, c, o4 + L, m1);
                c50 = FloatVector.fromArray(S, c, o5, m0); c51 = FloatVector.fromArray(S, c, o5 + L, m1);
            }
        }

        for (int p = 0, bo = bOff; p < kLen; p++, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }

        store(c, cOff, c00, c01, full, m0, m1);
        if (m > 1) store(c, cOff + ldc, c10, c11, full, m0, m1);
        if (m > 2) store(c, cOff + 2 * ldc, c20, c21, full, m0, m1);
        if (m > 3) store(c, cOff + 3 * ldc, c30, c31, full, m0, m1);
        if (m > 4) store(c, cOff + 4 * ldc, c40, c41, full, m0, m1);
        if (m > 5) store(c, cOff + 5 * ldc, c50, c51, full, m0, m1);
    }

    private static void store(float[] c, int off, FloatVector v0, FloatVector v1,
                              boolean full, VectorMask<Float> m0, VectorMask<Float> m1) {
        if (full) {
            v0.intoArray(c, off);
            v1.intoArray(c, off + L);
        } else {
            v0.intoArray(c, off, m0);
            v1.intoArray(c, off + L, m1);
        }
    }
}
