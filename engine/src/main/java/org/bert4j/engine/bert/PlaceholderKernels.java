package org.bert4j.engine.bert;

/** Plain loops standing in for org.bert4j.engine.kernels until it lands; to be deleted then. */
final class PlaceholderKernels {

    private PlaceholderKernels() {
    }

    static void linear(float[] x, int rows, float[] w, int out, int in, float[] bias, float[] y) {
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                float sum = bias == null ? 0f : bias[o];
                for (int i = 0; i < in; i++) {
                    sum += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = sum;
            }
        }
    }

    static void addAndNorm(float[] residual, float[] x, int rows, int width, float[] gamma, float[] beta, float eps, float[] out) {
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            float mean = 0;
            for (int i = 0; i < width; i++) {
                out[base + i] = x[base + i] + (residual == null ? 0f : residual[base + i]);
                mean += out[base + i];
            }
            mean /= width;
            float var = 0;
            for (int i = 0; i < width; i++) {
                float d = out[base + i] - mean;
                var += d * d;
            }
            var /= width;
            float inv = (float) (1.0 / Math.sqrt(var + eps));
            for (int i = 0; i < width; i++) {
                out[base + i] = (out[base + i] - mean) * inv * gamma[i] + beta[i];
            }
        }
    }

    static void activate(String hiddenAct, float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            float v = x[i];
            x[i] = switch (hiddenAct) {
                case "gelu" -> (float) (0.5 * v * (1.0 + erf(v / Math.sqrt(2.0))));
                case "relu" -> Math.max(0f, v);
                default -> (float) (0.5 * v * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (v + 0.044715 * v * v * v))));
            };
        }
    }

    static void tanh(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = (float) Math.tanh(x[i]);
        }
    }

    static void selfAttention(float[] qkv, int tokenOffset, int tokens, int heads, int headDim, float[] context) {
        int hidden = heads * headDim;
        int stride = 3 * hidden;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] scores = new float[tokens];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < tokens; i++) {
                int qRow = (tokenOffset + i) * stride + h * headDim;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < tokens; j++) {
                    int kRow = (tokenOffset + j) * stride + hidden + h * headDim;
                    float dot = 0;
                    for (int e = 0; e < headDim; e++) {
                        dot += qkv[qRow + e] * qkv[kRow + e];
                    }
                    scores[j] = dot * scale;
                    max = Math.max(max, scores[j]);
                }
                float sum = 0;
                for (int j = 0; j < tokens; j++) {
                    scores[j] = (float) Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                int cRow = (tokenOffset + i) * hidden + h * headDim;
                for (int e = 0; e < headDim; e++) {
                    float acc = 0;
                    for (int j = 0; j < tokens; j++) {
                        acc += scores[j] * qkv[(tokenOffset + j) * stride + 2 * hidden + h * headDim + e];
                    }
                    context[cRow + e] = acc / sum;
                }
            }
        }
    }

    private static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 2.5) {
            double term = a;
            double sum = a;
            for (int n = 1; n < 100; n++) {
                term *= -a * a / n;
                double next = term / (2 * n + 1);
                sum += next;
                if (Math.abs(next) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            r = 2.0 / Math.sqrt(Math.PI) * sum;
        } else if (a < 6.5) {
            double f = a;
            for (int n = 80; n >= 1; n--) {
                f = a + (n / 2.0) / f;
            }
            r = 1.0 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        } else {
            r = 1.0;
        }
        return x < 0 ? -r : r;
    }
}
