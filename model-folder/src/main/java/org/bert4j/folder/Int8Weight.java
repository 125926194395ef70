package org.bert4j.folder;

import java.util.regex.Pattern;

/**
 * A Linear layer's weight W [out × in] in int8: one signed byte per element and one float scale per output channel
 * (row), W[j][k] ≈ values[j][k] · scales[j]. Symmetric (no zero point) and per output channel, the scheme of
 * PyTorch's {@code quantize_per_channel} with {@code qint8} weights and of onnxruntime's dynamic quantization of
 * MatMul weights: the scale of a row is its largest magnitude over 127, so no value is clipped and each element is
 * off by at most half a scale step.
 *
 * <p>Weight-only: activations stay FP32, and a GEMM multiplies by the widened weights W' = fl(q · scale) in FP32. In
 * a model folder the bytes are an {@code I8} tensor under the weight's own name and the scales an {@code F32}
 * tensor [out] named {@link #scaleName}, the {@code weight_scale} of vLLM's compressed-tensors format.
 *
 * @param out    rows: output channels
 * @param in     columns: input features
 * @param values q, row-major [out × in], each in [−127, 127] when made by {@link #quantize}
 * @param scales one per row, finite and ≥ 0 (0 for a row of zeros)
 */
public record Int8Weight(int out, int in, byte[] values, float[] scales) {

    /** The largest magnitude of q: symmetric, −128 unused, so q and −q are both representable. */
    public static final int Q_MAX = 127;

    /** Appended to a weight's tensor name to name its scales: {@code ...dense.weight} → {@code ...dense.weight_scale}. */
    public static final String SCALE_SUFFIX = "_scale";

    /**
     * The weights that int8 models store quantized: the encoder's Linear layers (query, key, value, attention output,
     * intermediate and output dense), nearly all of a BERT encoder's multiply-adds. The embeddings (read one row per token,
     * not multiplied), LayerNorms, biases, the pooler and task heads stay as they are.
     */
    private static final Pattern ENCODER_LINEAR = Pattern.compile(
            "(bert\\.)?encoder\\.layer\\.\\d+\\.(attention\\.self\\.(query|key|value)|attention\\.output\\.dense"
                    + "|intermediate\\.dense|output\\.dense)\\.weight");

    /** Checks the shapes, and that every scale is finite and not negative. */
    public Int8Weight {
        if (out <= 0 || in <= 0) {
            throw new IllegalArgumentException("an int8 weight needs positive dimensions, got " + out + " × " + in);
        }
        if (values == null || values.length != (long) out * in) {
            throw new IllegalArgumentException("an int8 " + out + " × " + in + " weight needs " + (long) out * in
                    + " values, got " + (values == null ? "null" : values.length));
        }
        if (scales == null || scales.length != out) {
            throw new IllegalArgumentException("an int8 weight with " + out + " rows needs " + out + " scales, got "
                    + (scales == null ? "null" : scales.length));
        }
        for (int j = 0; j < out; j++) {
            if (!(scales[j] >= 0) || !Float.isFinite(scales[j])) {
                throw new IllegalArgumentException("the scale of row " + j + " is " + scales[j]
                        + "; scales must be finite and >= 0");
            }
        }
    }

    /**
     * Quantizes W [out × in] given row-major: scale_j = max_k |W[j][k]| / 127, q = round-half-even(W / scale_j). A
     * non-finite weight is an error naming its row and column.
     */
    public static Int8Weight quantize(float[] w, int out, int in) {
        if (w == null || w.length != (long) out * in) {
            throw new IllegalArgumentException("expected " + (long) out * in + " weights for " + out + " × " + in
                    + ", got " + (w == null ? "null" : w.length));
        }
        byte[] q = new byte[w.length];
        float[] scales = new float[out];
        for (int j = 0; j < out; j++) {
            int row = j * in;
            float max = 0;
            for (int k = 0; k < in; k++) {
                float v = w[row + k];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("weight [" + j + "][" + k + "] is " + v
                            + "; only finite weights can be quantized");
                }
                max = Math.max(max, Math.abs(v));
            }
            float scale = max / Q_MAX;
            scales[j] = scale;
            if (scale == 0) {
                continue;   // a row of zeros (or of subnormals too small to scale): q stays 0
            }
            for (int k = 0; k < in; k++) {
                // |W / scale| ≤ 127 up to the rounding of the scale itself: the clamp only catches that last ulp.
                long r = (long) Math.rint(w[row + k] / scale);
                q[row + k] = (byte) Math.max(-Q_MAX, Math.min(Q_MAX, r));
            }
        }
        return new Int8Weight(out, in, q, scales);
    }

    /** W' [out × in] row-major: each q widened and multiplied by its row's scale in float, as the GEMMs do. */
    public float[] dequantize() {
        float[] w = new float[values.length];
        for (int j = 0; j < out; j++) {
            float scale = scales[j];
            int row = j * in;
            for (int k = 0; k < in; k++) {
                w[row + k] = values[row + k] * scale;
            }
        }
        return w;
    }

    /** Stacks weights with the same {@code in} row-wise, as BERT's query, key and value are fused into one. */
    public static Int8Weight stack(Int8Weight... parts) {
        int in = parts[0].in();
        int out = 0;
        for (Int8Weight p : parts) {
            if (p.in() != in) {
                throw new IllegalArgumentException("cannot stack int8 weights of " + in + " and " + p.in() + " columns");
            }
            out += p.out();
        }
        byte[] values = new byte[out * in];
        float[] scales = new float[out];
        int row = 0;
        for (Int8Weight p : parts) {
            System.arraycopy(p.values(), 0, values, row * in, p.values().length);
            System.arraycopy(p.scales(), 0, scales, row, p.out());
            row += p.out();
        }
        return new Int8Weight(out, in, values, scales);
    }

    /** The name of the scales tensor stored beside the int8 weight tensor {@code weightName}. */
    public static String scaleName(String weightName) {
        return weightName + SCALE_SUFFIX;
    }

    /**
     * Whether an int8 model stores the tensor {@code name} quantized: the encoder Linear weights, named as Hugging
     * Face's {@code BertModel} names them (with or without the {@code bert.} prefix of a task model).
     */
    public static boolean isQuantized(String name) {
        return name != null && ENCODER_LINEAR.matcher(name).matches();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Int8Weight w && out == w.out && in == w.in && java.util.Arrays.equals(values, w.values)
                && java.util.Arrays.equals(scales, w.scales);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(values) + java.util.Arrays.hashCode(scales);
    }

    @Override
    public String toString() {
        return "Int8Weight[" + out + " × " + in + "]";
    }
}
