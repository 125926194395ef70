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

    @Override
    public void linear(float[] x, int rows, PackedWeight w, float[] bias, Activation activation, float[] y) {
        LinearArgs.check(x, rows, w, bias, y);
        MemorySegment weight = w.rowMajor(NAME);
        int out = w.out();
        int in = w.in();
        pool.parallelForRanges(rows, pool.threads(), (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < out; j++) {
                    double sum = bias == null ? 0 : bias[j];
                    for (int k = 0; k < in; k++) {
                        sum += (double) x[i * in + k]
                                * weight.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, (long) j * in + k);
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
