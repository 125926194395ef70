package org.bert4j.engine;

import java.util.Locale;

/**
 * sentence-transformers' {@code SimilarityFunction}: how two embeddings are compared, as a score where higher means
 * more similar. The distances are therefore negated, as sentence-transformers negates them ({@code euclidean_sim},
 * {@code manhattan_sim}): the closest pair has the score nearest 0 from below.
 */
public enum SimilarityFunction {
    /** Cosine of the angle: each vector divided by max(‖v‖, 1e-12), then the dot product ({@code cos_sim}). */
    COSINE,
    /** The dot product ({@code dot_score}); the cosine for unit vectors. */
    DOT,
    /** Minus the Euclidean distance ({@code euclidean_sim}). */
    EUCLIDEAN,
    /** Minus the Manhattan (L1) distance ({@code manhattan_sim}). */
    MANHATTAN;

    /**
     * Parses a {@code similarity_fn_name}: "cosine", "dot" (or "dot_product"), "euclidean", "manhattan", any case;
     * anything else is an error naming it.
     */
    public static SimilarityFunction fromName(String name) {
        if (name != null) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "cosine" -> { return COSINE; }
                case "dot", "dot_product" -> { return DOT; }
                case "euclidean" -> { return EUCLIDEAN; }
                case "manhattan" -> { return MANHATTAN; }
                default -> { }
            }
        }
        throw new IllegalArgumentException("unknown similarity function \"" + name
                + "\"; expected cosine, dot, euclidean or manhattan");
    }

    /** The name sentence-transformers gives it ("cosine", "dot", "euclidean", "manhattan"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The score of every pair, {@code result[i][j] = score(a[i], b[j])} ({@code model.similarity(a, b)}). Sums run in
     * double, so a score is the exact one rounded once to float.
     */
    public float[][] matrix(float[][] a, float[][] b) {
        int dim = dimensionOf(a, b);
        float[][] aa = this == COSINE ? unit(a) : a;
        float[][] bb = this == COSINE ? unit(b) : b;
        float[][] out = new float[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                out[i][j] = (float) score(aa[i], bb[j], dim);
            }
        }
        return out;
    }

    /** The score of each pair {@code (a[i], b[i])} ({@code model.similarity_pairwise(a, b)}); a and b have equal size. */
    public float[] pairwise(float[][] a, float[][] b) {
        int dim = dimensionOf(a, b);
        if (a.length != b.length) {
            throw new IllegalArgumentException("pairwise similarity needs as many rows in a as in b, got " + a.length
                    + " and " + b.length);
        }
        float[][] aa = this == COSINE ? unit(a) : a;
        float[][] bb = this == COSINE ? unit(b) : b;
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) score(aa[i], bb[i], dim);
        }
        return out;
    }

    /** The score of two vectors. */
    public float score(float[] a, float[] b) {
        return pairwise(new float[][] {a}, new float[][] {b})[0];
    }

    private double score(float[] x, float[] y, int dim) {
        double s = 0;
        switch (this) {
            case COSINE, DOT -> {
                for (int k = 0; k < dim; k++) {
                    s += (double) x[k] * y[k];
                }
                return s;
            }
            case EUCLIDEAN -> {
                for (int k = 0; k < dim; k++) {
                    double d = (double) x[k] - y[k];
                    s += d * d;
                }
                return -Math.sqrt(s);
            }
            default -> {
                for (int k = 0; k < dim; k++) {
                    s += Math.abs((double) x[k] - y[k]);
                }
                return -s;
            }
        }
    }

    /** Rows scaled to unit length as torch's {@code normalize(p=2, eps=1e-12)}: a zero row stays zero. */
    private static float[][] unit(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
            Normalize.l2(out[i]);
        }
        return out;
    }

    private static int dimensionOf(float[][] a, float[][] b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException("embeddings must not be null");
        }
        int dim = -1;
        for (float[][] side : new float[][][] {a, b}) {
            for (int i = 0; i < side.length; i++) {
                if (side[i] == null) {
                    throw new IllegalArgumentException((side == a ? "a[" : "b[") + i + "] is null");
                }
                if (dim < 0) {
                    dim = side[i].length;
                } else if (side[i].length != dim) {
                    throw new IllegalArgumentException("embeddings of different lengths: " + dim + " and "
                            + side[i].length + " (" + (side == a ? "a[" : "b[") + i + "])");
                }
            }
        }
        return Math.max(dim, 0);
    }
}
