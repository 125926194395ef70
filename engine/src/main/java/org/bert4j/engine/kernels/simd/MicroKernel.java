package org.bert4j.engine.kernels.simd;

import org.bert4j.engine.kernels.Activation;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java GEMM's inner loops: C = A · B (+ bias) for a block of rows and a range of {@link Panels panels},
 * single-threaded.
 *
 * <p>The micro-kernel keeps a 6 × 16 tile of C in twelve AVX2 registers while it walks k: per step it loads two
 * vectors of the packed panel, broadcasts one element of each of the six rows of A and does twelve fused
 * multiply-adds (twelve accumulators + two B vectors + one broadcast = 15 of the 16 ymm registers). Around it
 * the loops are blocked for the caches (Goto and van de Geijn, "Anatomy of High-Performance Matrix
 * Multiplication", 2008): a slice of at most KC steps of k at a time, and a block of panels sized to stay in L2
 * while every six-row strip of A streams past it.
 *
 * <p>The micro-kernel itself has no special cases, which keeps it small enough for the JIT to compile it early:
 * it adds to C (the bias is written into the strip first; without a bias the first slice of k starts from zero
 * in registers instead of from a cleared C, which matters for attention's Q·Kᵀ, whose k is only 32 or 64), a
 * strip shorter than six rows repeats its last row (computing and storing the same values twice), and the last,
 * partial panel goes through a small scratch tile.
 */
final class MicroKernel {
    private MicroKernel() {}

    private static final VectorSpecies<Float> S = Panels.SPECIES;
    private static final int L = S.length();
    static final int NR = Panels.NR;
    static final int MR = 6;
    /** Up to this many rows, each panel goes through every strip before the next panel (see {@link #gemm}). */
    static final int PANELS_OUTER_MAX_ROWS = 24;
    /**
     * Also when the rows' slice of A is at most this big: it stays in L1 (32 KB) across the panels, each panel too
     * across the strips — attention's Q·Kᵀ, whose k is only a head's 32 or 64 dimensions.
     */
    static final int PANELS_OUTER_MAX_A_BYTES = 24 * 1024;
    /** The longest slice of k: a 6-row strip of A (12 KB) stays in L1 across a block of panels. */
    static final int KC = 512;
    /** The bytes of packed panels kept in L2 (512 KB per core here) while strips of A stream past them. */
    private static final int PANEL_BLOCK_BYTES = 256 * 1024;

    /**
     * C[i][j] = bias[j] + Σ_kk A[i][kk] · B[kk][j] for rows i in [r0, r1) and the columns j of panels [p0, p1)
     * (j < n), then the activation (if any) over those entries. A[i][kk] is at {@code aOff + i * lda + kk};
     * C[i][j] at {@code cOff + i * ldc + j}; B is packed panels of an operand with n columns and k rows.
     */
    static void gemm(float[] a, int aOff, int lda, int r0, int r1,
                     float[] b, int n, int k, int p0, int p1,
                     float[] c, int cOff, int ldc, float[] bias, Activation activation) {
        gemm(a, aOff, lda, r0, r1, b, n, k, p0, p1, c, cOff, ldc, bias, activation, KC);
    }

    /** {@link #gemm}, with k in slices of at most {@code maxSlice} steps instead of {@link #KC}. */
    static void gemm(float[] a, int aOff, int lda, int r0, int r1,
                     float[] b, int n, int k, int p0, int p1,
                     float[] c, int cOff, int ldc, float[] bias, Activation activation, int maxSlice) {
        gemm(a, aOff, lda, r0, r1, b, n, k, p0, p1, c, cOff, ldc, bias, activation, maxSlice, false);
    }

    /**
     * {@link #gemm}; with {@code accumulate} the products are added to what C holds (no bias): training's
     * gradients summed over a batch, C += A · B.
     */
    static void gemm(float[] a, int aOff, int lda, int r0, int r1,
                     float[] b, int n, int k, int p0, int p1,
                     float[] c, int cOff, int ldc, float[] bias, Activation activation, int maxSlice,
                     boolean accumulate) {
        drive(a, aOff, lda, r0, r1, b, null, null, null, n, k, p0, p1, c, cOff, ldc, bias, activation, maxSlice,
                accumulate);
    }

    /** Floats of the scratch {@link #gemmInt8} widens a block of int8 panels into (one block stays in L2). */
    static final int INT8_SCRATCH = Math.max(PANEL_BLOCK_BYTES / Float.BYTES, KC * NR);

    /**
     * {@link #gemm} with B given as {@link Int8Panels int8 panels} and their per-column scales: each block of panels
     * is widened to FP32 (W' = q · scale) into {@code scratch} ({@link #INT8_SCRATCH} floats) once, then every
     * strip of rows multiplies it exactly as FP32 panels, so the widening costs one pass per block however many
     * rows there are, and the weights travel from memory at one byte each.
     */
    static void gemmInt8(float[] a, int aOff, int lda, int r0, int r1,
                         byte[] q, float[] scales, float[] scratch, int n, int k, int p0, int p1,
                         float[] c, int cOff, int ldc, float[] bias, Activation activation) {
        drive(a, aOff, lda, r0, r1, null, q, scales, scratch, n, k, p0, p1, c, cOff, ldc, bias, activation, KC,
                false);
    }

    /** The blocked loops, over FP32 panels b, or int8 panels q widened block by block into scratch. */
    private static void drive(float[] a, int aOff, int lda, int r0, int r1,
                              float[] b, byte[] q, float[] scales, float[] scratch, int n, int k, int p0, int p1,
                              float[] c, int cOff, int ldc, float[] bias, Activation activation, int maxSlice,
                              boolean accumulate) {
        if (r0 >= r1 || p0 >= p1) {
            return;
        }
        int kBlocks = (k + maxSlice - 1) / maxSlice;
        int kc = (k + kBlocks - 1) / kBlocks;
        float[] edge = n % NR == 0 ? null : new float[MR * NR];
        // Few rows (one short text): the panels are by far the bigger operand and stream from memory; each one
        // goes through every strip while it is in L1, so its loads spread evenly over the computation instead
        // of all falling on the first strip. The same when the rows' slice of A fits in L1 anyway (a short k):
        // then a panel stays in L1 too, instead of the whole block being read from L2 for every strip (Q·Kᵀ at
        // 512 tokens: 64 KB of key panels per 6 query rows; attention ~3-5% faster). Otherwise: a block of
        // panels stays in L2 while strips stream past.
        boolean panelsOuter = r1 - r0 <= PANELS_OUTER_MAX_ROWS
                || (long) (r1 - r0) * kc * Float.BYTES <= PANELS_OUTER_MAX_A_BYTES;
        int panelBlock = Math.max(1, PANEL_BLOCK_BYTES / (kc * NR * Float.BYTES));
        for (int k0 = 0; k0 < k; k0 += kc) {
            int kLen = Math.min(kc, k - k0);
            boolean first = k0 == 0;
            boolean last = k0 + kLen == k;
            // Without a bias the first slice of k starts its sums from zero in registers: no pass to clear C.
            boolean fromZero = first && bias == null && !accumulate;
            for (int pb = p0; pb < p1; pb += panelBlock) {
                int pe = Math.min(p1, pb + panelBlock);
                int from = pb * NR;
                int to = Math.min(pe * NR, n);
                // Where panel p's slice [k0, k0 + kLen) starts: bOff + (p − pb) · bStride.
                float[] panels = b;
                int bOff = pb * k * NR + k0 * NR;
                int bStride = k * NR;
                if (q != null) {
                    Int8Panels.widen(q, scales, k, pb, pe, k0, kLen, scratch);
                    panels = scratch;
                    bOff = 0;
                    bStride = kLen * NR;
                }
                if (panelsOuter) {
                    if (first && bias != null) {
                        initialise(c, cOff + r0 * ldc, ldc, r1 - r0, from, to, bias);
                    }
                    for (int p = pb; p < pe; p++) {
                        int bAt = bOff + (p - pb) * bStride;
                        for (int i = r0; i < r1; i += MR) {
                            panel(a, aOff, lda, i, Math.min(MR, r1 - i), k0, kLen, panels, bAt, n, p, c, cOff, ldc,
                                    fromZero, edge);
                        }
                    }
                    if (last && activation != null) {
                        activate(c, cOff, ldc, r0, r1, from, to, activation);
                    }
                } else {
                    for (int i = r0; i < r1; i += MR) {
                        int m = Math.min(MR, r1 - i);
                        if (first && bias != null) {
                            initialise(c, cOff + i * ldc, ldc, m, from, to, bias);
                        }
                        for (int p = pb; p < pe; p++) {
                            panel(a, aOff, lda, i, m, k0, kLen, panels, bOff + (p - pb) * bStride, n, p, c, cOff,
                                    ldc, fromZero, edge);
                        }
                        if (last && activation != null) {
                            activate(c, cOff, ldc, i, i + m, from, to, activation);
                        }
                    }
                }
            }
        }
    }

    /** The strip of m rows from row i times panel p (its slice of k at b[bAt]), over [k0, k0 + kLen) of k. */
    private static void panel(float[] a, int aOff, int lda, int i, int m, int k0, int kLen,
                              float[] b, int bAt, int n, int p, float[] c, int cOff, int ldc, boolean fromZero,
                              float[] edge) {
        int col = p * NR;
        int aAt = aOff + i * lda + k0;
        int cAt = cOff + i * ldc + col;
        if (col + NR <= n) {
            tile(a, aAt, lda, m, b, bAt, kLen, c, cAt, ldc, fromZero);
        } else {
            partialTile(a, aAt, lda, m, b, bAt, kLen, c, cAt, ldc, n - col, edge, fromZero);
        }
    }

    /** The activation over rows [i0, i1), columns [from, to). */
    private static void activate(float[] c, int cOff, int ldc, int i0, int i1, int from, int to,
                                 Activation activation) {
        for (int r = i0; r < i1; r++) {
            int row = cOff + r * ldc;
            Activations.apply(activation, c, row + from, row + to);
        }
    }

    /** Rows [0, m) of a strip, columns [from, to): the bias. */
    private static void initialise(float[] c, int cOff, int ldc, int m, int from, int to, float[] bias) {
        for (int r = 0; r < m; r++) {
            int row = cOff + r * ldc;
            System.arraycopy(bias, from, c, row + from, to - from);
        }
    }

    /** The last panel when it is narrower than NR columns: through a full-width scratch tile. */
    private static void partialTile(float[] a, int aOff, int lda, int m, float[] b, int bOff, int kLen,
                                    float[] c, int cOff, int ldc, int cols, float[] scratch, boolean fromZero) {
        if (!fromZero) {
            for (int r = 0; r < m; r++) {
                System.arraycopy(c, cOff + r * ldc, scratch, r * NR, cols);
            }
        }
        tile(a, aOff, lda, m, b, bOff, kLen, scratch, 0, NR, fromZero);
        for (int r = 0; r < m; r++) {
            System.arraycopy(scratch, r * NR, c, cOff + r * ldc, cols);
        }
    }

    /** An accumulator's starting value: zero, or the sums C already holds at {@code at}. */
    private static FloatVector start(float[] c, int at, boolean fromZero) {
        return fromZero ? FloatVector.zero(S) : FloatVector.fromArray(S, c, at);
    }

    /**
     * C[0..m) += A-strip · panel over kLen steps of k, for a full-width tile. Rows past m repeat the last real
     * row: they compute and store that row's values again, so the loop never branches on m.
     */
    private static void tile(float[] a, int aOff, int lda, int m,
                             float[] b, int bOff, int kLen, float[] c, int cOff, int ldc, boolean fromZero) {
        int last = m - 1;
        int a0 = aOff;
        int a1 = aOff + lda * Math.min(1, last);
        int a2 = aOff + lda * Math.min(2, last);
        int a3 = aOff + lda * Math.min(3, last);
        int a4 = aOff + lda * Math.min(4, last);
        int a5 = aOff + lda * Math.min(5, last);
        int o0 = cOff;
        int o1 = cOff + ldc * Math.min(1, last);
        int o2 = cOff + ldc * Math.min(2, last);
        int o3 = cOff + ldc * Math.min(3, last);
        int o4 = cOff + ldc * Math.min(4, last);
        int o5 = cOff + ldc * Math.min(5, last);

        FloatVector c00 = start(c, o0, fromZero);
        FloatVector c01 = start(c, o0 + L, fromZero);
        FloatVector c10 = start(c, o1, fromZero);
        FloatVector c11 = start(c, o1 + L, fromZero);
        FloatVector c20 = start(c, o2, fromZero);
        FloatVector c21 = start(c, o2 + L, fromZero);
        FloatVector c30 = start(c, o3, fromZero);
        FloatVector c31 = start(c, o3 + L, fromZero);
        FloatVector c40 = start(c, o4, fromZero);
        FloatVector c41 = start(c, o4 + L, fromZero);
        FloatVector c50 = start(c, o5, fromZero);
        FloatVector c51 = start(c, o5 + L, fromZero);

        for (int p = 0; p < kLen; p++) {
            int bo = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }

        // Highest row first: when rows repeat, the real row's store comes last (the values are equal anyway).
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + L);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + L);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + L);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + L);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + L);
        c00.intoArray(c, o0);
        c01.intoArray(c, o0 + L);
    }
}
