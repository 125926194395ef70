package org.bert4j.convert.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor constant of an ONNX graph (an initializer, or a Constant node's value) with its data as raw
 * little-endian bytes, whichever field of {@code TensorProto} held them (raw_data, float_data, int64_data,
 * external data ...). The bytes may be a slice of the mapped model file: valid while the model is open.
 */
public record OnnxTensor(String name, OnnxDataType dataType, long[] dims, MemorySegment data) {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public OnnxTensor {
        dims = dims.clone();
    }

    /** A copy of the dimensions. */
    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Product of the dimensions (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** The values of a FLOAT tensor. */
    public float[] floats() {
        require(OnnxDataType.FLOAT);
        return data.toArray(F32);
    }

    /** The values of an INT64 or INT32 tensor (e.g. a Reshape's target shape). */
    public long[] longs() {
        if (dataType == OnnxDataType.INT64) {
            return data.toArray(I64);
        }
        require(OnnxDataType.INT32);
        return Arrays.stream(data.toArray(I32)).asLongStream().toArray();
    }

    private void require(OnnxDataType type) {
        if (dataType != type) {
            throw new IllegalStateException("tensor '" + name + "' is " + dataType + ", not " + type);
        }
    }

    @Override
    public String toString() {
        return name + " " + dataType + Arrays.toString(dims);
    }
}
