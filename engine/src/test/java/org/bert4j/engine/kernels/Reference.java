package org.bert4j.engine.kernels;

import java.util.SplittableRandom;

/** Plain double-precision implementations the kernels are checked against, and random test data. */
final class Reference {
    private Reference() {}

    static float[] random(SplittableRandom random, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    /** erf(x) = 2/√π · exp(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): every term positive, so no cancellation. */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax > 9) {
            return Math.signum(x);
        }
        double term = ax;
        double sum = ax;
        for (int n = 0; n < 1000 && term > 1e-18 * sum; n++) {
            term *= 2 * ax * ax / (2 * n + 3);
            sum += term;
        }
        return Math.signum(x) * 2 / Math.sqrt(Math.PI) * Math.exp(-ax * ax) * sum;
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /** y[rows × out] = x · Wᵀ + bias in double, with W [out × in]. */
    static double[] linear(float[] x, int rows, float[] w, int out, int in, float[] bias) {
        double[] y = new double[rows * out];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < out; j++) {
                double sum = bias == null ? 0 : bias[j];
                for (int k = 0; k < in; k++) {
                    sum += (double) x[i * in + k] * w[j * in + k];
                }
                y[i * out + j] = sum;
            }
        }
        return y;
    }

    /** Σ_k |x_ik · w_jk| + |bias_j|: the scale a float dot product's rounding error is proportional to. */
    static double[] magnitude(float[] x, int rows, float[] w, int out, int in, float[] bias) {
        double[] m = new double[rows * out];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < out; j++) {
                double sum = bias == null ? 0 : Math.abs(bias[j]);
                for (int k = 0; k < in; k++) {
                    sum += Math.abs((double) x[i * in + k] * w[j * in + k]);
                }
                m[i * out + j] = sum;
            }
        }
        return m;
    }

    static void layerNorm(double[] row, float[] gamma, float[] beta, double eps, double[] out) {
        double mean = 0;
        for (double v : row) {
            mean += v;
        }
        mean /= row.length;
        double var = 0;
        for (double v : row) {
            var += (v - mean) * (v - mean);
        }
        var /= row.length;
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - mean) / Math.sqrt(var + eps) * gamma[j] + beta[j];
        }
    }

    static double[] softmax(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = Math.exp(row[j] - max);
            sum += out[j];
        }
        for (int j = 0; j < row.length; j++) {
            out[j] /= sum;
        }
        return out;
    }

    /** Attention for one sequence, all heads, the textbook way: scores, softmax, weighted sum of values. */
    static double[] attention(float[] qkv, int offset, int tokens, int heads, int d) {
        int hidden = heads * d;
        double[] context = new double[tokens * hidden];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < tokens; i++) {
                double[] scores = new double[tokens];
                for (int j = 0; j < tokens; j++) {
                    double dot = 0;
                    for (int k = 0; k < d; k++) {
                        dot += (double) qkv[(offset + i) * 3 * hidden + h * d + k]
                                * qkv[(offset + j) * 3 * hidden + hidden + h * d + k];
                    }
                    scores[j] = dot / Math.sqrt(d);
                }
                double[] p = softmax(scores);
                for (int k = 0; k < d; k++) {
                    double sum = 0;
                    for (int j = 0; j < tokens; j++) {
                        sum += p[j] * qkv[(offset + j) * 3 * hidden + 2 * hidden + h * d + k];
                    }
                    context[i * hidden + h * d + k] = sum;
                }
            }
        }
        return context;
    }
}
