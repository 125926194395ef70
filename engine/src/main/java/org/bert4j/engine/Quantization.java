package org.bert4j.engine;

/**
 * sentence-transformers' {@code quantize_embeddings}: float vectors to int8, uint8, binary or ubinary, with the same
 * buckets and the same bit order, so a vector database filled by Python and one filled by bert4j hold equal bytes.
 *
 * <p>int8 / uint8: each dimension's range [min, max] (from a {@link Calibration}, else from the embeddings being
 * quantized) is cut into 255 steps; a value's bucket is {@code clip(floor((x - min) / step), 0, 255)}, computed in
 * float32 as NumPy computes it, and int8 stores the bucket minus 128. A dimension whose range is empty (min = max)
 * takes a step of 1, as sentence-transformers does. binary / ubinary: one bit per dimension, set when the value is
 * above 0, packed eight to a byte from the high bit down and the last byte padded with zeros; binary stores the
 * byte minus 128.
 */
public final class Quantization {
    private Quantization() {}

    /** Quantizes {@code embeddings} with ranges taken from the embeddings themselves (int8 / uint8). */
    public static QuantizedEmbeddings quantize(float[][] embeddings, Precision precision) {
        return quantize(embeddings, precision, null);
    }

    /**
     * Quantizes {@code embeddings} (rows of equal length); {@code calibration} gives the int8 / uint8 ranges, null
     * takes them from the embeddings (binary precisions ignore it). FLOAT32 is an error: the floats are the output.
     */
    public static QuantizedEmbeddings quantize(float[][] embeddings, Precision precision, Calibration calibration) {
        if (embeddings == null) {
            throw new IllegalArgumentException("embeddings must not be null");
        }
        if (precision == null || precision == Precision.FLOAT32) {
            throw new IllegalArgumentException("quantize to int8, uint8, binary or ubinary; float32 embeddings need no"
                    + " quantization, got " + precision);
        }
        int dim = embeddings.length == 0 ? (calibration == null ? 0 : calibration.dimension()) : embeddings[0].length;
        for (int r = 0; r < embeddings.length; r++) {
            if (embeddings[r] == null || embeddings[r].length != dim) {
                throw new IllegalArgumentException("embedding " + r + " has "
                        + (embeddings[r] == null ? "no values" : embeddings[r].length + " dimensions") + ", expected " + dim);
            }
        }
        byte[][] rows = new byte[embeddings.length][];
        if (precision.packsBits()) {
            int xor = precision == Precision.BINARY ? 0x80 : 0;
            for (int r = 0; r < rows.length; r++) {
                rows[r] = packSigns(embeddings[r], xor);
            }
        } else if (embeddings.length > 0) {
            Calibration ranges = calibration != null ? calibration : Calibration.of(embeddings);
            if (ranges.dimension() != dim) {
                throw new IllegalArgumentException("calibration has " + ranges.dimension() + " dimensions, the embeddings "
                        + dim);
            }
            float[] starts = ranges.min();
            float[] steps = ranges.max();
            for (int d = 0; d < dim; d++) {
                steps[d] = (steps[d] - starts[d]) / 255f;   // float32, as NumPy divides a float32 array
                if (steps[d] == 0) {
                    steps[d] = 1;
                }
            }
            int offset = precision == Precision.INT8 ? 128 : 0;
            for (int r = 0; r < rows.length; r++) {
                rows[r] = buckets(embeddings[r], starts, steps, offset);
            }
        }
        return new QuantizedEmbeddings(precision, dim, rows);
    }

    private static byte[] buckets(float[] v, float[] starts, float[] steps, int offset) {
        byte[] out = new byte[v.length];
        for (int d = 0; d < v.length; d++) {
            // (x - start) / step rounds to float32 exactly as NumPy's float32 arithmetic does; floor is then exact.
            double bucket = Math.floor((v[d] - starts[d]) / steps[d]);
            int q = (int) Math.max(0, Math.min(255, bucket));   // values outside a calibration's range clip
            out[d] = (byte) (q - offset);
        }
        return out;
    }

    private static byte[] packSigns(float[] v, int xor) {
        byte[] out = new byte[(v.length + 7) / 8];
        for (int d = 0; d < v.length; d++) {
            if (v[d] > 0) {
                out[d >> 3] |= (byte) (0x80 >>> (d & 7));
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (out[i] ^ xor);   // byte - 128 in int8 is the byte with its high bit flipped
        }
        return out;
    }
}
