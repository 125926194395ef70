package org.bert4j.convert.onnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.bert4j.convert.ConversionException;
import org.bert4j.safetensors.DType;
import org.bert4j.safetensors.Tensor;

/**
 * Turns the 8-bit weights of an onnxruntime-quantized export back into F32 with the ONNX formula
 * {@code w = (q - zero_point) · scale} (DequantizeLinear; MatMulInteger's weight side), computed exactly as
 * onnxruntime does: the integer difference converted to float, times the float scale, one rounding.
 *
 * <p>The result is the quantized model's weights, not the original F32 ones: a model using them matches the
 * int8 model only up to its activation quantization, which happens at run time and cannot be stored.
 */
final class Dequantizer {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Dequantizer() {}

    /**
     * A MatMulInteger weight {@code q[in, out]} with per-output-column (or single) scale and zero point,
     * returned transposed to [out, in].
     */
    static Tensor linearWeight(String source, String hf, OnnxNode node, OnnxTensor q, OnnxTensor scale, OnnxTensor zeroPoint)
            throws ConversionException {
        String what = source + ": " + hf + " (quantized MatMul '" + node.name() + "')";
        requireInt8(what, q);
        int in = Math.toIntExact(q.dims()[0]);
        int out = Math.toIntExact(q.dims()[1]);
        float[] scales = perChannel(what, "scale", scale, out);
        int[] zeros = zeroPoint == null ? new int[out] : perChannelInts(what, zeroPoint, out, q.dataType());
        MemorySegment data = q.data();
        boolean signed = q.dataType() == OnnxDataType.INT8;
        float[] w = new float[Math.multiplyExact(in, out)];
        for (int k = 0; k < in; k++) {
            for (int n = 0; n < out; n++) {
                int v = read(data, (long) k * out + n, signed);
                w[n * in + k] = (float) (v - zeros[n]) * scales[n];
            }
        }
        return Tensor.f32(hf, new long[] {out, in}, w);
    }

    /** A DequantizeLinear'd tensor (an embedding table), per-tensor or per-axis scale. */
    static Tensor table(String source, String hf, OnnxTensor q, OnnxTensor scale, OnnxTensor zeroPoint, long axis)
            throws ConversionException {
        String what = source + ": " + hf + " (quantized '" + q.name() + "')";
        requireInt8(what, q);
        if (scale == null) {
            throw new ConversionException(what + ": its scale is not a constant");
        }
        long[] dims = q.dims();
        long count = q.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new ConversionException(what + ": too large to dequantize");
        }
        boolean signed = q.dataType() == OnnxDataType.INT8;
        float[] w = new float[(int) count];
        MemorySegment data = q.data();
        if (scale.elementCount() == 1) {
            float s = scale.floats()[0];
            int z = zeroPoint == null ? 0 : perChannelInts(what, zeroPoint, 1, q.dataType())[0];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (read(data, i, signed) - z) * s;
            }
        } else {
            int ax = (int) (axis < 0 ? axis + dims.length : axis);
            if (ax < 0 || ax >= dims.length) {
                throw new ConversionException(what + ": DequantizeLinear axis " + axis + " is out of range for " + dims.length + " dims");
            }
            int channels = Math.toIntExact(dims[ax]);
            float[] s = perChannel(what, "scale", scale, channels);
            int[] z = zeroPoint == null ? new int[channels] : perChannelInts(what, zeroPoint, channels, q.dataType());
            long inner = 1;
            for (int d = ax + 1; d < dims.length; d++) {
                inner *= dims[d];
            }
            for (int i = 0; i < w.length; i++) {
                int c = (int) ((i / inner) % channels);
                w[i] = (float) (read(data, i, signed) - z[c]) * s[c];
            }
        }
        return Tensor.f32(hf, dims, w);
    }

    private static int read(MemorySegment data, long index, boolean signed) {
        byte b = data.get(ValueLayout.JAVA_BYTE, index);
        return signed ? b : b & 0xFF;
    }

    private static void requireInt8(String what, OnnxTensor q) throws ConversionException {
        if (q.dataType() != OnnxDataType.INT8 && q.dataType() != OnnxDataType.UINT8) {
            throw new ConversionException(what + ": quantized data is " + q.dataType() + ", only INT8/UINT8 are supported");
        }
        if (q.rank() < 1) {
            throw new ConversionException(what + ": quantized data is a scalar");
        }
    }

    private static float[] perChannel(String what, String role, OnnxTensor t, int channels) throws ConversionException {
        if (t == null || t.dataType() != OnnxDataType.FLOAT) {
            throw new ConversionException(what + ": the " + role + " is not a FLOAT constant");
        }
        float[] v = t.floats();
        if (v.length == 1) {
            float[] all = new float[channels];
            java.util.Arrays.fill(all, v[0]);
            return all;
        }
        if (v.length != channels) {
            throw new ConversionException(what + ": the " + role + " has " + v.length + " entries; expected 1 or " + channels
                    + " (one per output column)");
        }
        return v;
    }

    private static int[] perChannelInts(String what, OnnxTensor t, int channels, OnnxDataType dataType) throws ConversionException {
        if (t.dataType() != dataType) {
            throw new ConversionException(what + ": the zero point is " + t.dataType() + " but the data is " + dataType);
        }
        boolean signed = dataType == OnnxDataType.INT8;
        int n = (int) t.elementCount();
        if (n != 1 && n != channels) {
            throw new ConversionException(what + ": the zero point has " + n + " entries; expected 1 or " + channels);
        }
        int[] z = new int[channels];
        for (int c = 0; c < channels; c++) {
            z[c] = read(t.data(), n == 1 ? 0 : c, signed);
        }
        return z;
    }

}
