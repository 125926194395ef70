package org.bert4j.safetensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor to write: name, element type, shape and its raw little-endian bytes. The factories
 * ({@link #f32}, {@link #f16}, {@link #bf16}, ...) encode Java arrays in the format's byte order.
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data) {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Checks that the bytes match the shape, so a writer can never produce a file its reader rejects. */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        long expected = Math.multiplyExact(elements, (long) dtype.byteSize());
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + expected + " bytes, the data has " + data.byteSize());
        }
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** An F32 tensor holding {@code values}. */
    public static Tensor f32(String name, long[] shape, float[] values) {
        MemorySegment data = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 4)]);
        for (int i = 0; i < values.length; i++) {
            data.setAtIndex(F32, i, values[i]);
        }
        return new Tensor(name, DType.F32, shape, data);
    }

    /** An F16 tensor holding {@code values} rounded to IEEE half (nearest even). */
    public static Tensor f16(String name, long[] shape, float[] values) {
        MemorySegment data = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 2)]);
        for (int i = 0; i < values.length; i++) {
            data.setAtIndex(I16, i, FloatFormats.floatToF16(values[i]));
        }
        return new Tensor(name, DType.F16, shape, data);
    }

    /** A BF16 tensor holding {@code values} rounded to bfloat16 (nearest even). */
    public static Tensor bf16(String name, long[] shape, float[] values) {
        MemorySegment data = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 2)]);
        for (int i = 0; i < values.length; i++) {
            data.setAtIndex(I16, i, FloatFormats.floatToBf16(values[i]));
        }
        return new Tensor(name, DType.BF16, shape, data);
    }

    /** An I32 tensor. */
    public static Tensor i32(String name, long[] shape, int[] values) {
        MemorySegment data = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 4)]);
        for (int i = 0; i < values.length; i++) {
            data.setAtIndex(I32, i, values[i]);
        }
        return new Tensor(name, DType.I32, shape, data);
    }

    /** An I64 tensor (e.g. a checkpoint's {@code position_ids} buffer). */
    public static Tensor i64(String name, long[] shape, long[] values) {
        MemorySegment data = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 8)]);
        for (int i = 0; i < values.length; i++) {
            data.setAtIndex(I64, i, values[i]);
        }
        return new Tensor(name, DType.I64, shape, data);
    }

    /** A tensor of any dtype from bytes already in little-endian order. */
    public static Tensor of(String name, DType dtype, long[] shape, byte[] littleEndianBytes) {
        return new Tensor(name, dtype, shape, MemorySegment.ofArray(littleEndianBytes));
    }

    /** Number of elements (product of the shape). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && data.byteSize() == t.data.byteSize() && data.mismatch(t.data) == -1;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + dtype + Arrays.toString(shape) + "]";
    }
}
