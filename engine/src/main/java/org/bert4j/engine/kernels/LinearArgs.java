package org.bert4j.engine.kernels;

import java.lang.foreign.MemorySegment;

/** The argument checks every {@link Gemm} backend runs before it multiplies. */
public final class LinearArgs {
    private LinearArgs() {}

    /** Checks a {@link Gemm#linear} call: shapes, lengths, and that y is not x. */
    public static void check(float[] x, int rows, PackedWeight w, float[] bias, float[] y) {
        if (w == null) {
            throw new IllegalArgumentException("w must not be null");
        }
        Checks.nonNegative(rows, "rows");
        Checks.holds(x, "x", 0, (long) rows * w.in());
        Checks.holds(y, "y", 0, (long) rows * w.out());
        if (bias != null) {
            Checks.length(bias, "bias", w.out());
        }
        if (x == y) {
            throw new IllegalArgumentException("y must not be the same array as x");
        }
    }

    /** Checks a weight given as a float array before it is packed. */
    public static void checkPack(float[] weight, int out, int in) {
        Checks.positive(out, "out");
        Checks.positive(in, "in");
        Checks.length(weight, "weightOutIn", Checks.elements(out, in, "weightOutIn"));
    }

    /** Checks an int8 weight and its scales (finite, ≥ 0) before it is packed. */
    public static void checkPackInt8(byte[] values, float[] scales, int out, int in) {
        Checks.positive(out, "out");
        Checks.positive(in, "in");
        if (values == null) {
            throw new IllegalArgumentException("valuesOutIn must not be null");
        }
        int elements = Checks.elements(out, in, "valuesOutIn");
        if (values.length != elements) {
            throw new IllegalArgumentException("valuesOutIn must hold " + elements + " bytes, got " + values.length);
        }
        Checks.length(scales, "scales", out);
        for (int j = 0; j < out; j++) {
            if (!(scales[j] >= 0) || !Float.isFinite(scales[j])) {
                throw new IllegalArgumentException("scales[" + j + "] is " + scales[j] + "; scales must be finite and"
                        + " >= 0");
            }
        }
    }

    /** Checks a weight given as raw little-endian F32 bytes before it is packed. */
    public static void checkPack(MemorySegment weight, int out, int in) {
        Checks.positive(out, "out");
        Checks.positive(in, "in");
        if (weight == null) {
            throw new IllegalArgumentException("weightOutIn must not be null");
        }
        long expected = (long) out * in * Float.BYTES;
        if (weight.byteSize() != expected) {
            throw new IllegalArgumentException("weightOutIn holds " + weight.byteSize() + " bytes but a " + out + " × "
                    + in + " F32 matrix needs " + expected);
        }
        Checks.elements(out, in, "weightOutIn");
    }
}
