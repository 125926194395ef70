package org.bert4j.engine.kernels.simd;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java GEMM's layout for the right-hand operand B [k × n] (for a Linear layer, B = Wᵀ).
 *
 * <p>B is cut into panels of {@link #NR} columns; a panel stores its k rows one after the other, NR floats each,
 * so the micro-kernel reads one panel front to back with plain vector loads. The last panel is zero-padded.
 * This is the classic GotoBLAS packing, done once at load for weights instead of on every call.
 */
final class Panels {
    private Panels() {}

    static final VectorSpecies<Float> SPECIES = Width.SPECIES;
    /** Panel width: two vectors (16 floats with AVX2). */
    static final int NR = 2 * SPECIES.length();

    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static int count(int n) {
        return (n + NR - 1) / NR;
    }

    /** Floats needed for the panels of a k × n operand. */
    static int size(int n, int k) {
        long size = (long) count(n) * k * NR;
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a " + n + " × " + k + " weight is too large to pack in one array");
        }
        return (int) size;
    }

    /**
     * Packs B = Wᵀ where W [n × k] is row-major: W[j][kk] at {@code off + j * ld + kk}. Writes
     * {@code size(n, k)} floats into dst (padding included).
     */
    static void packTransposed(float[] w, int off, int ld, int n, int k, float[] dst) {
        packTransposed(w, off, ld, n, k, dst, 0, count(n));
    }

    /** {@link #packTransposed(float[], int, int, int, int, float[])} for panels [p0, p1) only. */
    static void packTransposed(float[] w, int off, int ld, int n, int k, float[] dst, int p0, int p1) {
        for (int p = p0; p < p1; p++) {
            int base = p * k * NR;
            int first = off + p * NR * ld;
            int rows = Math.min(NR, n - p * NR);
            // Step by step of k, writing the panel in order: the NR rows of W it reads stay in L1 across the
            // steps that share their cache lines, where writing one row of W at a time strides the whole panel.
            for (int kk = 0; kk < k; kk++) {
                int at = base + kk * NR;
                for (int j = 0; j < rows; j++) {
                    dst[at + j] = w[first + j * ld + kk];
                }
                for (int j = rows; j < NR; j++) {
                    dst[at + j] = 0f;
                }
            }
        }
    }

    /** Packs B = Wᵀ where W [n × k] is given as raw little-endian F32 bytes, row-major. */
    static float[] packTransposed(MemorySegment w, int n, int k) {
        float[] dst = new float[size(n, k)];
        float[] row = new float[k];
        for (int r = 0; r < n; r++) {
            MemorySegment.copy(w, LE_FLOAT, (long) r * k * Float.BYTES, row, 0, k);
            int base = (r / NR) * k * NR + r % NR;
            for (int kk = 0; kk < k; kk++) {
                dst[base + kk * NR] = row[kk];
            }
        }
        return dst;
    }

    /**
     * Packs B [k × n] given row-major, B[kk][j] at {@code off + kk * ld + j}: the right-hand operand as stored, not
     * transposed (training's dX = dY · W). Writes {@code size(n, k)} floats into dst (padding included).
     */
    static void pack(float[] b, int off, int ld, int k, int n, float[] dst) {
        pack(b, off, ld, k, n, dst, 0, count(n));
    }

    /** {@link #pack(float[], int, int, int, int, float[])} for panels [p0, p1) only. */
    static void pack(float[] b, int off, int ld, int k, int n, float[] dst, int p0, int p1) {
        int lanes = SPECIES.length();
        for (int p = p0; p < p1; p++) {
            int base = p * k * NR;
            int col = p * NR;
            int width = Math.min(NR, n - col);
            for (int kk = 0; kk < k; kk++) {
                int src = off + kk * ld + col;
                int at = base + kk * NR;
                if (width == NR) {
                    // Two vector moves: a call to System.arraycopy per NR floats costs more than the copy.
                    FloatVector.fromArray(SPECIES, b, src).intoArray(dst, at);
                    FloatVector.fromArray(SPECIES, b, src + lanes).intoArray(dst, at + lanes);
                } else {
                    System.arraycopy(b, src, dst, at, width);
                    for (int j = width; j < NR; j++) {
                        dst[at + j] = 0f;
                    }
                }
            }
        }
    }
}
