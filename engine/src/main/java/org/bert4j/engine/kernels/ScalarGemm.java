package org.bert4j.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The reference backend for tests: the textbook triple loop, each dot product summed in double precision so
 * that it is a better oracle than the float kernels it checks. Slow on purpose; never pick it for real work.
 */
final class ScalarGemm implements Gemm {
    static final String NAME = "scalar";

    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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
        return new PackedWeight(out, in, NAME, MemorySegment.ofArray(weightOutIn), null);
    }

    @Override
    public void linear(float[] x, int rows, PackedWeight w, float[] bias, float[] y) {
        LinearArgs.check(x, rows, w, bias, y);
        MemorySegment weight = w.rowMajor(NAME);
        int out = w.out();
        int in = w.in();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < out; j++) {
                double sum = bias == null ? 0 : bias[j];
                for (int k = 0; k < in; k++) {
                    sum += (double) x[i * in + k] * weight.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, (long) j * in + k);
                }
                y[i * out + j] = (float) sum;
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }
}
