package org.bert4j.engine;

/** sentence-transformers' {@code Normalize} module: scales a sentence vector to unit Euclidean length. */
public final class Normalize {
    private Normalize() {}

    /** Scales {@code v} in place to unit L2 norm; a zero vector stays zero (torch divides by max(norm, 1e-12)). */
    public static void l2(float[] v) {
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        double norm = Math.max(Math.sqrt(sq), 1e-12);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
    }
}
