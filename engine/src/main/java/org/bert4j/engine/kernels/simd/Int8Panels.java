package org.bert4j.engine.kernels.simd;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java GEMM's layout for int8 weights: the {@link Panels} layout with one byte per element instead of four (B =
 * Wᵀ cut into panels of {@link Panels#NR} columns, each storing its k rows one after the other, the last one
 * zero-padded), and the per-column scales padded to whole panels. {@link #widen} turns a block of them back into
 * FP32 panels, W' = q · scale, for the micro-kernel.
 */
final class Int8Panels {
    private Int8Panels() {}

    private static final VectorSpecies<Float> S = Panels.SPECIES;
    private static final int L = S.length();
    private static final int NR = Panels.NR;
    /**
     * One panel row of bytes: NR lanes of 8 bits, half the float vector's width (64, 128 or 256 bits); its two halves
     * widen to the panel row's two float vectors (sign-extend and convert: {@code vpmovsxbd} + {@code vcvtdq2ps}).
     */
    private static final VectorSpecies<Byte> ROW = VectorSpecies.of(byte.class, VectorShape.forBitSize(NR * Byte.SIZE));

    /** The name of this layout, which {@link org.bert4j.engine.kernels.PackedWeight#int8(String)} checks. */
    static final String LAYOUT = "int8 panels of " + NR;

    /** Packs B = Wᵀ where W [n × k] is given row-major as int8: {@code Panels.size(n, k)} bytes. */
    static byte[] pack(byte[] w, int n, int k) {
        byte[] dst = new byte[Panels.size(n, k)];
        for (int r = 0; r < n; r++) {
            int src = r * k;
            int base = (r / NR) * k * NR + r % NR;
            for (int kk = 0; kk < k; kk++) {
                dst[base + kk * NR] = w[src + kk];
            }
        }
        return dst;
    }

    /** The scales of the n columns, padded with zeros to whole panels (the padding columns stay zero when widened). */
    static float[] padScales(float[] scales, int n) {
        float[] padded = new float[Panels.count(n) * NR];
        System.arraycopy(scales, 0, padded, 0, n);
        return padded;
    }

    /** The n × k weight row-major in FP32, each value q · scale as {@link #widen} rounds it: {@link #pack} undone. */
    static float[] unpack(byte[] q, float[] scales, int n, int k) {
        float[] w = new float[n * k];
        for (int r = 0; r < n; r++) {
            int base = (r / NR) * k * NR + r % NR;
            for (int kk = 0; kk < k; kk++) {
                w[r * k + kk] = q[base + kk * NR] * scales[r];
            }
        }
        return w;
    }

    /**
     * Widens panels [p0, p1), rows [k0, k0 + kLen) of k, into FP32 panels in dst: panel p's row kk at
     * {@code (p − p0) · kLen · NR + (kk − k0) · NR}, each value q · scale rounded to float.
     */
    static void widen(byte[] q, float[] scales, int k, int p0, int p1, int k0, int kLen, float[] dst) {
        for (int p = p0; p < p1; p++) {
            FloatVector s0 = FloatVector.fromArray(S, scales, p * NR);
            FloatVector s1 = FloatVector.fromArray(S, scales, p * NR + L);
            int src = p * k * NR + k0 * NR;
            int at = (p - p0) * kLen * NR;
            for (int kk = 0; kk < kLen; kk++) {
                ByteVector row = ByteVector.fromArray(ROW, q, src + kk * NR);
                FloatVector low = (FloatVector) row.convertShape(VectorOperators.B2F, S, 0);
                FloatVector high = (FloatVector) row.convertShape(VectorOperators.B2F, S, 1);
                low.mul(s0).intoArray(dst, at + kk * NR);
                high.mul(s1).intoArray(dst, at + kk * NR + L);
            }
        }
    }
}
