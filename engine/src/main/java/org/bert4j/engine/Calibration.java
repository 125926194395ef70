package org.bert4j.engine;

/**
 * The per-dimension value ranges that int8 and uint8 quantization cut into buckets: sentence-transformers'
 * {@code ranges} argument of {@code quantize_embeddings} (a 2 × dim array, minimum row then maximum row). Without one,
 * the ranges come from the embeddings being quantized themselves, which sentence-transformers warns is unstable under
 * 100 embeddings: compute them once from a representative sample ({@link #of}) and reuse them for every later batch.
 *
 * @param min the smallest value of each dimension
 * @param max the largest value of each dimension
 */
public record Calibration(float[] min, float[] max) {

    /** Checks that both ranges exist, have the same length and are finite with min ≤ max. */
    public Calibration {
        if (min == null || max == null) {
            throw new IllegalArgumentException("min and max must not be null");
        }
        if (min.length != max.length) {
            throw new IllegalArgumentException("min has " + min.length + " dimensions but max has " + max.length);
        }
        for (int d = 0; d < min.length; d++) {
            if (!Float.isFinite(min[d]) || !Float.isFinite(max[d]) || min[d] > max[d]) {
                throw new IllegalArgumentException("dimension " + d + ": range [" + min[d] + ", " + max[d]
                        + "] must be finite with min <= max");
            }
        }
        min = min.clone();
        max = max.clone();
    }

    /** The ranges of a sample of embeddings ({@code np.min} / {@code np.max} over its rows); the sample must not be empty. */
    public static Calibration of(float[][] embeddings) {
        if (embeddings == null || embeddings.length == 0) {
            throw new IllegalArgumentException("calibration needs at least one embedding");
        }
        int dim = embeddings[0].length;
        float[] min = embeddings[0].clone();
        float[] max = embeddings[0].clone();
        for (int r = 1; r < embeddings.length; r++) {
            if (embeddings[r].length != dim) {
                throw new IllegalArgumentException("embedding " + r + " has " + embeddings[r].length
                        + " dimensions, embedding 0 has " + dim);
            }
            for (int d = 0; d < dim; d++) {
                min[d] = Math.min(min[d], embeddings[r][d]);
                max[d] = Math.max(max[d], embeddings[r][d]);
            }
        }
        return new Calibration(min, max);
    }

    /** The number of dimensions. */
    public int dimension() {
        return min.length;
    }

    @Override
    public float[] min() {
        return min.clone();
    }

    @Override
    public float[] max() {
        return max.clone();
    }
}
