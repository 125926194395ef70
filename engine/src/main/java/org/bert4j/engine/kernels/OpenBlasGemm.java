package org.bert4j.engine.kernels;

import org.bert4j.folder.Int8Weight;
import java.lang.foreign.MemorySegment;

/**
 * The OpenBLAS GEMM backend: {@code cblas_sgemm} on the weights as stored (no repacking at load; OpenBLAS packs
 * them on every call), single-threaded calls on slices of the output (by rows or by columns), one per pool
 * thread.
 */
final class OpenBlasGemm implements Gemm {
    static final String NAME = "openblas";

    /** Below this many multiply-adds a call is not split: a wake-up costs more. */
    private static final long SERIAL_WORK = 1L << 17;

    private final ComputePool pool;
    private final Kernels kernels;

    /** Multiplies on {@code pool}'s threads; a fused activation runs on {@code kernels}. */
    OpenBlasGemm(ComputePool pool, Kernels kernels) {
        OpenBlas.require();
        this.pool = pool;
        this.kernels = kernels;
    }

    @Override
    public PackedWeight pack(MemorySegment weightOutIn, int out, int in) {
        LinearArgs.checkPack(weightOutIn, out, in);
        return PackedWeight.rowMajor(out, in, NAME, weightOutIn);
    }

    @Override
    public PackedWeight pack(float[] weightOutIn, int out, int in) {
        LinearArgs.checkPack(weightOutIn, out, in);
        return PackedWeight.rowMajor(out, in, NAME, MemorySegment.ofArray(weightOutIn));
    }

    /**
     * OpenBLAS multiplies FP32 matrices only: the weight is widened once, here, to W' = fl(q · scale) (the values
     * every backend multiplies by, at FP32's size and speed).
     */
    @Override
    public PackedWeight packInt8(byte[] valuesOutIn, float[] scales, int out, int in) {
        LinearArgs.checkPackInt8(valuesOutIn, scales, out, in);
        return pack(new Int8Weight(out, in, valuesOutIn, scales).dequantize(), out, in);
    }

    @Override
    public void linear(float[] x, int rows, PackedWeight w, float[] bias, Activation activation, float[] y) {
        LinearArgs.check(x, rows, w, bias, y);
        multiply(x, rows, w.rowMajor(NAME), w.out(), w.in(), bias, activation, y);
    }

    private void multiply(float[] x, int rows, MemorySegment weight, int out, int in, float[] bias,
                          Activation activation, float[] y) {
        if (rows == 0) {
            return;
        }
        long work = (long) rows * out * in;
        int threads = work < SERIAL_WORK ? 1 : pool.threads();
        MemorySegment xs = MemorySegment.ofArray(x);
        MemorySegment ys = MemorySegment.ofArray(y);
        // Each single-threaded call packs both operands afresh: split along the larger of rows and out, so the
        // operand every slice packs in full (W for row slices, x for column slices) is the smaller one.
        if (rows > out) {
            int slices = Math.min(threads, rows);
            pool.parallelFor(slices, s -> {
                int r0 = (int) ((long) rows * s / slices);
                int r1 = (int) ((long) rows * (s + 1) / slices);
                slice(xs, r0, r1, weight, 0, out, out, in, bias, activation, y, ys);
            });
        } else {
            // Column slices of 16: each thread packs only its own rows of W.
            int slices = Math.min(threads, (out + 15) / 16);
            pool.parallelFor(slices, s -> {
                int n0 = (int) ((long) out * s / slices) & ~15;
                int n1 = s == slices - 1 ? out : (int) ((long) out * (s + 1) / slices) & ~15;
                slice(xs, 0, rows, weight, n0, n1, out, in, bias, activation, y, ys);
            });
        }
    }

    /** Rows [r0, r1) and columns [n0, n1) of y = activation(x · Wᵀ + bias), one single-threaded call. */
    private void slice(MemorySegment xs, int r0, int r1, MemorySegment weight, int n0, int n1,
                              int out, int in, float[] bias, Activation activation, float[] y, MemorySegment ys) {
        if (r1 <= r0 || n1 <= n0) {
            return;
        }
        float beta = 0f;
        if (bias != null) {
            // OpenBLAS scales C by beta before it accumulates anyway: starting from the bias costs no extra pass.
            for (int r = r0; r < r1; r++) {
                System.arraycopy(bias, n0, y, r * out + n0, n1 - n0);
            }
            beta = 1f;
        }
        OpenBlas.sgemm(true, r1 - r0, n1 - n0, in, xs.asSlice((long) r0 * in * Float.BYTES), in,
                weight.asSlice((long) n0 * in * Float.BYTES), in, beta,
                ys.asSlice(((long) r0 * out + n0) * Float.BYTES), out);
        if (activation != null) {
            for (int r = r0; r < r1; r++) {
                kernels.activate(activation, y, r * out + n0, r * out + n1);
            }
        }
    }

    @Override
    public boolean callsOpenBlas() {
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "OpenBlasGemm[" + pool + "]";
    }
}
