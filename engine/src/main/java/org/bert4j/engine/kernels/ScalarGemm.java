package org.bert4j.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The scalar kernels' GEMM: the textbook triple loop, each dot product summed in double precision, rows spread over
 * the pool. Slow, and a better oracle than the float kernels it is compared with.
 */
final class ScalarGemm implements Gemm {
    static final String NAME = "java";
    static final String INT8_LAYOUT = "int8 row-major";

    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final ComputePool pool;
    private final Kernels kernels;

    ScalarGemm(ComputePool pool, Kernels kernels) {
        this.pool = pool;
        this.kernels = kernels;
    }

    @Override
    public PackedWeight pack(MemorySegment weightOutIn, int out, int in) {
        LinearArgs.checkPack(weightOutIn, out, in);
        float[] copy = new float[out * in];
        MemorySegment.copy(weightOutIn, LE_FLOAT, 0, copy, 0, copy.length);
        return pack(copy, out, in);
    }

    @Override
    public PackedWeight pack(float[] weightOutIn, int out, int in) {
        LinearArgs.checkPack(weightOutIn, out, in);
        return PackedWeight.rowMajor(out, in, NAME, MemorySegment.ofArray(weightOutIn));
    }

    /** Keeps the int8 values row-major as given (they must not be modified afterwards). */
    @Override
    public PackedWeight packInt8(byte[] valuesOutIn, float[] scales, int out, int in) {
        LinearArgs.checkPackInt8(valuesOutIn, scales, out, in);
        return PackedWeight.int8(out, in, NAME, INT8_LAYOUT, valuesOutIn, scales);
    }

    @Override
    public void linear(float[] x, int rows, PackedWeight w, float[] bias, Activation activation, float[] y) {
        LinearArgs.check(x, rows, w, bias, y);
        MemorySegment weight = w.isInt8() ? null : w.rowMajor(NAME);
        byte[] int8 = w.isInt8() ? w.int8(INT8_LAYOUT) : null;
        float[] scales = w.isInt8() ? w.scales(INT8_LAYOUT) : null;
        int out = w.out();
        int in = w.in();
        pool.parallelForRanges(rows, pool.threads(), (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < out; j++) {
                    double sum = bias == null ? 0 : bias[j];
                    for (int k = 0; k < in; k++) {
                        // An int8 weight is W' = fl(q · scale): the float product, as every backend widens it.
                        float wjk = int8 != null ? int8[j * in + k] * scales[j]
                                : weight.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, (long) j * in + k);
                        sum += (double) x[i * in + k] * wjk;
                    }
                    y[i * out + j] = (float) sum;
                }
                if (activation != null) {
                    kernels.activate(activation, y, i * out, (i + 1) * out);
                }
            }
        });
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "ScalarGemm[" + pool + "]";
    }
}
