package org.bert4j.engine.kernels;

/**
 * The kernels as plain scalar loops: no Vector API (a model loaded with them runs without the incubator module), no
 * compilation to wait for (the interpreter and C1 run these loops well, where uncompiled Vector API code crawls), and
 * sums in double precision, which makes them the reference the vector kernels are tested against. Slower than the
 * vector kernels once those are compiled; the right choice for a process that embeds a few texts and exits.
 */
final class ScalarKernels implements Kernels {

    static final ScalarKernels INSTANCE = new ScalarKernels();

    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBits() {
        return 0;
    }

    @Override
    public void activate(Activation activation, float[] x, int from, int to) {
        Checks.range(x, "x", from, to);
        for (int i = from; i < to; i++) {
            x[i] = switch (activation) {
                case GELU -> gelu(x[i]);
                case GELU_TANH -> geluTanh(x[i]);
                case RELU -> Math.max(0f, x[i]);
                case TANH -> (float) StrictMath.tanh(x[i]);
            };
        }
    }

    /** 0.5·x·(1 + erf(x/√2)), with the float {@link Erf} the vector kernels use (Java has no erf of its own). */
    private static float gelu(float x) {
        return (float) (0.5 * x * (1 + Erf.erf((float) (x * INV_SQRT2))));
    }

    /** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), in double. */
    private static float geluTanh(float x) {
        double u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
        return (float) (0.5 * x * (1 + Math.tanh(u)));
    }

    @Override
    public void layerNorm(float[] x, int fromRow, int toRow, float[] gamma, float[] beta, float eps, float[] out) {
        Checks.layerNorm(x, null, fromRow, toRow, gamma, beta, eps, out);
        for (int r = fromRow; r < toRow; r++) {
            normalizeRow(x, out, r * gamma.length, gamma, beta, eps);
        }
    }

    @Override
    public void addAndLayerNorm(float[] residual, float[] x, int fromRow, int toRow, float[] gamma, float[] beta,
                                float eps, float[] out) {
        Checks.layerNorm(x, residual, fromRow, toRow, gamma, beta, eps, out);
        int width = gamma.length;
        for (int r = fromRow; r < toRow; r++) {
            int row = r * width;
            for (int j = row; j < row + width; j++) {
                out[j] = residual[j] + x[j];   // rounded to float, as PyTorch's sum before its LayerNorm
            }
            normalizeRow(out, out, row, gamma, beta, eps);
        }
    }

    /** One row, in double: two passes for the mean and the variance. */
    private static void normalizeRow(float[] x, float[] out, int off, float[] gamma, float[] beta, float eps) {
        int width = gamma.length;
        double sum = 0;
        for (int j = 0; j < width; j++) {
            sum += x[off + j];
        }
        double mean = sum / width;
        double squares = 0;
        for (int j = 0; j < width; j++) {
            double d = x[off + j] - mean;
            squares += d * d;
        }
        double rstd = 1 / Math.sqrt(squares / width + eps);
        for (int j = 0; j < width; j++) {
            out[off + j] = (float) ((x[off + j] - mean) * rstd * gamma[j] + beta[j]);
        }
    }

    @Override
    public void softmax(float[] x, int offset, int length, float scale) {
        Checks.softmax(x, offset, length, scale);
        double sum = exponentiate(x, offset, length, scale);
        for (int j = offset; j < offset + length; j++) {
            x[j] = (float) (x[j] / sum);
        }
    }

    /** x[off, off + n) = exp(scale·(x − max x)), returning their sum (in double). */
    private static double exponentiate(float[] x, int off, int n, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = off; j < off + n; j++) {
            max = Math.max(max, x[j]);
        }
        double sum = 0;
        for (int j = off; j < off + n; j++) {
            x[j] = (float) Math.exp((double) scale * ((double) x[j] - max));
            sum += x[j];
        }
        return sum;
    }

    @Override
    public void activationBackward(Activation activation, float[] x, float[] grad, int from, int to) {
        Checks.range(x, "x", from, to);
        Checks.range(grad, "grad", from, to);
        for (int i = from; i < to; i++) {
            grad[i] = (float) (grad[i] * derivative(activation, x[i]));
        }
    }

    /** f'(x) in double: PyTorch's formulas for each activation's derivative. */
    static double derivative(Activation activation, float x) {
        return switch (activation) {
            // d/dx x·Φ(x) = Φ(x) + x·φ(x), Φ from the same float erf as the forward
            case GELU -> 0.5 * (1 + Erf.erf((float) (x * INV_SQRT2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
            case GELU_TANH -> {
                // 0.5·(1 + tanh u) = σ(2u), whose derivative 2σ(1 − σ) keeps the far tail where tanh rounds to −1.
                double s = 1 / (1 + Math.exp(-2 * SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
                yield s + 2 * x * s * (1 - s) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
            }
            case RELU -> x > 0 ? 1 : 0;
            case TANH -> {
                double t = StrictMath.tanh(x);
                yield 1 - t * t;
            }
        };
    }

    @Override
    public void layerNormTraining(float[] x, int fromRow, int toRow, float[] gamma, float[] beta, float eps,
                                  float[] out, float[] xHat, float[] rstd) {
        Checks.layerNorm(x, null, fromRow, toRow, gamma, beta, eps, out);
        int width = gamma.length;
        Checks.holds(xHat, "xHat", 0, (long) toRow * width);
        Checks.holds(rstd, "rstd", 0, toRow);
        for (int r = fromRow; r < toRow; r++) {
            int off = r * width;
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += x[off + j];
            }
            double mean = sum / width;
            double squares = 0;
            for (int j = 0; j < width; j++) {
                double d = x[off + j] - mean;
                squares += d * d;
            }
            double r1 = 1 / Math.sqrt(squares / width + eps);
            rstd[r] = (float) r1;
            for (int j = 0; j < width; j++) {
                double normalised = (x[off + j] - mean) * r1;
                xHat[off + j] = (float) normalised;
                out[off + j] = (float) (normalised * gamma[j] + beta[j]);
            }
        }
    }

    @Override
    public void layerNormBackward(float[] xHat, float[] rstd, float[] dy, int fromRow, int toRow, float[] gamma,
                                  float[] dx, float[] dGamma, float[] dBeta) {
        Checks.layerNormBackward(xHat, rstd, dy, fromRow, toRow, gamma, dx, dGamma, dBeta);
        int width = gamma.length;
        for (int r = fromRow; r < toRow; r++) {
            int off = r * width;
            double meanG = 0;
            double meanGx = 0;
            for (int j = 0; j < width; j++) {
                double g = (double) dy[off + j] * gamma[j];
                meanG += g;
                meanGx += g * xHat[off + j];
                dGamma[j] += dy[off + j] * xHat[off + j];
                dBeta[j] += dy[off + j];
            }
            meanG /= width;
            meanGx /= width;
            for (int j = 0; j < width; j++) {
                double g = (double) dy[off + j] * gamma[j];
                dx[off + j] = (float) (rstd[r] * (g - meanG - xHat[off + j] * meanGx));
            }
        }
    }

    @Override
    public double sumOfSquares(float[] x, int from, int to) {
        Checks.range(x, "x", from, to);
        // Four interleaved sums added at the end: one running sum would wait on each addition's latency.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += (double) x[i] * x[i];
            s1 += (double) x[i + 1] * x[i + 1];
            s2 += (double) x[i + 2] * x[i + 2];
            s3 += (double) x[i + 3] * x[i + 3];
        }
        for (; i < to; i++) {
            s0 += (double) x[i] * x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void dropout(long key, int threshold, float keep, float[] x, int from, int to) {
        Checks.range(x, "x", from, to);
        DropoutBits.apply(key, threshold, keep, x, from, to);
    }

    @Override
    public void softmaxBackward(float[] p, float[] dp, int offset, int length) {
        Checks.range(p, "p", offset, offset + length);
        Checks.range(dp, "dp", offset, offset + length);
        double dot = 0;
        for (int j = offset; j < offset + length; j++) {
            dot += (double) dp[j] * p[j];
        }
        for (int j = offset; j < offset + length; j++) {
            dp[j] = (float) (p[j] * (dp[j] - dot));
        }
    }

    @Override
    public AttentionKernel attention() {
        return ScalarKernels::attention;
    }

    /** softmax(q·k/√d)·v for every (sequence, head) pair, the pairs spread over the pool; sums in double. */
    private static void attention(float[] qkv, int[] starts, int[] lengths, int heads, int headDim, float[] context,
                                  ComputePool pool) {
        AttentionArgs.check(qkv, starts, lengths, heads, headDim, context, pool);
        pool.parallelFor(starts.length * heads, pair -> {
            int s = pair / heads;
            head(qkv, starts[s], lengths[s], pair % heads, heads, headDim, context);
        });
    }

    private static void head(float[] qkv, int tokenOffset, int tokens, int h, int heads, int headDim,
                             float[] context) {
        HeadSlices at = HeadSlices.of(tokenOffset, h, heads, headDim);
        float[] scores = new float[tokens];
        for (int i = 0; i < tokens; i++) {
            int q = at.query() + i * at.stride();
            for (int j = 0; j < tokens; j++) {
                int k = at.key() + j * at.stride();
                double s = 0;
                for (int d = 0; d < headDim; d++) {
                    s += (double) qkv[q + d] * qkv[k + d];
                }
                scores[j] = (float) s;
            }
            double sum = exponentiate(scores, 0, tokens, at.scale());
            int c = at.context() + i * at.hidden();
            for (int d = 0; d < headDim; d++) {
                double acc = 0;
                for (int j = 0; j < tokens; j++) {
                    acc += (double) scores[j] * qkv[at.value() + j * at.stride() + d];
                }
                context[c + d] = (float) (acc / sum);
            }
        }
    }

    @Override
    public Gemm gemm(ComputePool pool) {
        if (pool == null) {
            throw new IllegalArgumentException("pool must not be null");
        }
        return new ScalarGemm(pool, this);
    }

    @Override
    public MatMul matMul() {
        return new ScalarMatMul();
    }

    @Override
    public String toString() {
        return name();
    }
}
