package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The training kernels of every set against double-precision formulas, each within a bound derived from how it is
 * computed (u = 2⁻²⁴, γ_k = ku/(1−ku), k_W = the lane-sum depth ⌈n/W⌉ + log₂W):
 * <ul>
 *   <li>GELU' = Φ(x) + x·φ(x): Φ carries half erf's bound and the rounding of x/√2 (1.13·u·|x|), x·φ carries exp's
 *       relative bound plus four roundings (x², the scale, the product, the sum); grad·f' one more.</li>
 *   <li>GELU-tanh' = s + 2x·s(1−s)·u', s = σ(2u): an error ε in e = exp(−2u) moves s by s(1−s)ε, and rounding s
 *       (two operations) by 2u·s; f' moves |1 + 2xu'(1−2s)| times as much (1 − s cancels where s nears 1); ε = exp's
 *       bound + γ_5·|2u| (u's roundings); the rest is γ_8 of f''s terms.</li>
 *   <li>LayerNorm's backward: g = dy·γ (u), its two row means (γ_{k_W+1} of Σ|g|, Σ|g·x̂|), then three roundings of
 *       (g − mean g − x̂·mean gx̂)·rstd; dγ and dβ add one rounding per row.</li>
 *   <li>softmax's backward: the dot product Σ dp·p (γ_{k_W+1}), then two roundings.</li>
 *   <li>LayerNorm for training: x̂ = c·rstd with the forward's errors (see LayerNormTest): each within
 *       |δc|·rstd + |x̂|·(ε_var/2 + 3u).</li>
 * </ul>
 * The scalar set computes in double and rounds each result once (plus erf's float polynomial in GELU').
 */
class BackwardKernelsTest {
    private static final double U = Bounds.U;

    private static float[] sweep() {
        int n = 48_001;
        float[] x = new float[n + 4];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (-8 + 16.0 * i / (n - 1));
        }
        x[n] = -40f;
        x[n + 1] = 40f;
        x[n + 2] = 0f;
        x[n + 3] = -0f;
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void activationDerivativesAreWithinTheirBounds(Kernels kernels) {
        float[] x = sweep();
        float[] grad = new float[x.length];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < grad.length; i++) {
            grad[i] = (float) (random.nextDouble() * 4 - 2);
        }
        for (Activation activation : Activation.values()) {
            float[] g = grad.clone();
            kernels.activationBackward(activation, x, g, 1, x.length);
            for (int i = 1; i < x.length; i++) {
                double exact = grad[i] * derivative(activation, x[i]);
                double bound = Math.abs(grad[i]) * derivativeBound(kernels, activation, x[i])
                        + U * Math.abs(exact) + Double.MIN_VALUE;
                if (!(Math.abs(g[i] - exact) <= bound)) {
                    fail(kernels + " " + activation + "'(" + x[i] + ") · " + grad[i] + " = " + g[i] + ", exact " + exact
                            + ", error " + Math.abs(g[i] - exact) + " > " + bound);
                }
            }
            if (Float.floatToRawIntBits(g[0]) != Float.floatToRawIntBits(grad[0])) {
                fail("outside the range: index 0 changed");
            }
        }
    }

    /** The exact derivatives, in double. */
    static double derivative(Activation activation, double x) {
        return switch (activation) {
            case GELU -> 0.5 * (1 + Reference.erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
            case GELU_TANH -> {
                // 0.5·(1 + tanh u) = σ(2u): the logistic form keeps the far negative tail (tanh rounds to −1 there).
                double c = Math.sqrt(2 / Math.PI);
                double s = 1 / (1 + Math.exp(-2 * c * (x + 0.044715 * x * x * x)));
                yield s + 2 * x * s * (1 - s) * c * (1 + 3 * 0.044715 * x * x);
            }
            case RELU -> x > 0 ? 1 : 0;
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
        };
    }

    private static double derivativeBound(Kernels kernels, Activation activation, double x) {
        boolean scalar = kernels.vectorBits() == 0;
        double ax = Math.abs(x);
        return switch (activation) {
            case GELU -> {
                double density = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
                double phi = 0.5 * Bounds.erf(x / Math.sqrt(2)) + 1.13 * U * ax;
                yield scalar ? phi + 2 * U * Math.abs(derivative(activation, x))
                        : phi + ax * density * (Bounds.expRelative(-0.5 * x * x) + 4 * U)
                                + 2 * U * Math.abs(derivative(activation, x)) + U;
            }
            case GELU_TANH -> {
                if (scalar) {
                    yield 2 * U * (Math.abs(derivative(activation, x)) + 1);
                }
                double c = Math.sqrt(2 / Math.PI);
                double u = c * (x + 0.044715 * x * x * x);
                double du = c * (1 + 3 * 0.044715 * x * x);
                double s = 1 / (1 + Math.exp(-2 * u));
                double epsilon = (Double.isFinite(Math.exp(-2 * u)) ? Bounds.expRelative(-2 * u) : 0)
                        + Bounds.gamma(5) * Math.abs(2 * u);
                // s itself is rounded twice (the + 1 and the division): 2u·s, through the same ∂f'/∂s.
                double sensitivity = Math.abs(1 + 2 * x * du * (1 - 2 * s));
                yield sensitivity * (s * (1 - s) * epsilon + 2 * U * s)
                        + Bounds.gamma(8) * (s + Math.abs(2 * x * s * (1 - s) * du)) + Double.MIN_NORMAL;
            }
            case RELU -> 0;
            case TANH -> 2 * U;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void layerNormBackwardIsWithinItsBound(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(2);
        for (int width : new int[] {1, 7, 16, 33, 384, 385}) {
            int rows = 4;
            float[] xHat = Reference.random(random, rows * width, 2);
            float[] rstd = Reference.random(random, rows, 3);
            float[] dy = Reference.random(random, rows * width, 1);
            float[] gamma = Reference.random(random, width, 1.5);
            float[] dGamma = Reference.random(random, width, 1);
            float[] dBeta = Reference.random(random, width, 1);
            float[] dGamma0 = dGamma.clone();
            float[] dBeta0 = dBeta.clone();
            float[] dx = new float[rows * width];
            kernels.layerNormBackward(xHat, rstd, dy, 1, rows, gamma, dx, dGamma, dBeta);
            double sumU = Bounds.sumUnit(kernels);
            int k = KernelSets.sumDepth(kernels, width);
            for (int r = 1; r < rows; r++) {
                int off = r * width;
                double meanG = 0;
                double meanGx = 0;
                double absG = 0;
                double absGx = 0;
                for (int j = 0; j < width; j++) {
                    double g = (double) dy[off + j] * gamma[j];
                    meanG += g;
                    meanGx += g * xHat[off + j];
                    absG += Math.abs(g);
                    absGx += Math.abs(g * xHat[off + j]);
                }
                meanG /= width;
                meanGx /= width;
                double deltaMeanG = ((k + 2) * sumU + U) * absG / width;
                double deltaMeanGx = ((k + 2) * sumU + U) * absGx / width;
                for (int j = 0; j < width; j++) {
                    double g = (double) dy[off + j] * gamma[j];
                    double h = xHat[off + j];
                    double exact = rstd[r] * (g - meanG - h * meanGx);
                    double bound = Math.abs(rstd[r]) * (U * Math.abs(g) + deltaMeanG + Math.abs(h) * deltaMeanGx
                            + Bounds.gamma(4) * (Math.abs(g) + Math.abs(meanG) + Math.abs(h * meanGx)))
                            + U * Math.abs(exact) + Double.MIN_NORMAL;
                    if (!(Math.abs(dx[off + j] - exact) <= bound)) {
                        fail(kernels + " width " + width + " row " + r + " col " + j + ": dx " + dx[off + j]
                                + " vs " + exact + " > " + bound);
                    }
                }
            }
            for (int j = 0; j < width; j++) {
                double gammaExact = dGamma0[j];
                double betaExact = dBeta0[j];
                double gammaMagnitude = Math.abs(dGamma0[j]);
                double betaMagnitude = Math.abs(dBeta0[j]);
                for (int r = 1; r < rows; r++) {
                    gammaExact += (double) dy[r * width + j] * xHat[r * width + j];
                    betaExact += dy[r * width + j];
                    gammaMagnitude += Math.abs((double) dy[r * width + j] * xHat[r * width + j]);
                    betaMagnitude += Math.abs(dy[r * width + j]);
                }
                double rowsAdded = rows - 1;
                assertTrue(Math.abs(dGamma[j] - gammaExact) <= Bounds.gamma((int) rowsAdded + 1) * gammaMagnitude
                        + Double.MIN_NORMAL, kernels + " dGamma[" + j + "]");
                assertTrue(Math.abs(dBeta[j] - betaExact) <= Bounds.gamma((int) rowsAdded + 1) * betaMagnitude
                        + Double.MIN_NORMAL, kernels + " dBeta[" + j + "]");
            }
            for (int j = 0; j < width; j++) {
                assertTrue(dx[j] == 0f, "row 0 is outside the range");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void layerNormBackwardMayWriteIntoDy(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(3);
        int width = 45;
        float[] xHat = Reference.random(random, 2 * width, 2);
        float[] rstd = {1.5f, 0.25f};
        float[] dy = Reference.random(random, 2 * width, 1);
        float[] gamma = Reference.random(random, width, 1);
        float[] separate = new float[2 * width];
        kernels.layerNormBackward(xHat, rstd, dy, 0, 2, gamma, separate, new float[width], new float[width]);
        float[] inPlace = dy.clone();
        kernels.layerNormBackward(xHat, rstd, inPlace, 0, 2, gamma, inPlace, new float[width], new float[width]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(separate, inPlace);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void layerNormForTrainingKeepsXHatAndRstdWithinTheirBounds(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(4);
        for (int width : new int[] {1, 9, 32, 384, 385}) {
            int rows = 3;
            float[] x = Reference.random(random, rows * width, 3);
            for (int i = 0; i < x.length; i++) {
                x[i] += 50f;
            }
            float[] gamma = Reference.random(random, width, 2);
            float[] beta = Reference.random(random, width, 1);
            float[] out = new float[rows * width];
            float[] xHat = new float[rows * width];
            float[] rstd = new float[rows];
            kernels.layerNormTraining(x, 0, rows, gamma, beta, 1e-12f, out, xHat, rstd);
            int k = KernelSets.sumDepth(kernels, width);
            double sumU = Bounds.sumUnit(kernels);
            for (int r = 0; r < rows; r++) {
                int off = r * width;
                double mean = 0;
                double meanAbsD = 0;
                for (int j = 0; j < width; j++) {
                    mean += x[off + j];
                    meanAbsD += Math.abs(x[off + j] - x[off]);
                }
                mean /= width;
                meanAbsD /= width;
                double var = 0;
                for (int j = 0; j < width; j++) {
                    var += (x[off + j] - mean) * (x[off + j] - mean);
                }
                var /= width;
                double exactRstd = 1 / Math.sqrt(var + 1e-12);
                double deltaMean = (k * sumU + U) * meanAbsD;
                double maxDeltaC = 0;
                for (int j = 0; j < width; j++) {
                    maxDeltaC = Math.max(maxDeltaC, U * Math.abs(x[off + j] - x[off]) + deltaMean
                            + U * Math.abs(x[off + j] - mean));
                }
                double varError = (k + 2) * sumU + 2 * maxDeltaC * Math.sqrt(var) / (var + 1e-12) + U;
                double rstdBound = exactRstd * (varError / 2 + 2 * U);
                assertTrue(Math.abs(rstd[r] - exactRstd) <= rstdBound, kernels + " width " + width + " rstd[" + r
                        + "] " + rstd[r] + " vs " + exactRstd);
                for (int j = 0; j < width; j++) {
                    double c = x[off + j] - mean;
                    double exact = c * exactRstd;
                    double deltaC = U * Math.abs(x[off + j] - x[off]) + deltaMean + U * Math.abs(c);
                    double bound = deltaC * exactRstd + Math.abs(exact) * (varError / 2 + 3 * U) + Double.MIN_NORMAL;
                    if (!(Math.abs(xHat[off + j] - exact) <= bound)) {
                        fail(kernels + " width " + width + " xHat " + xHat[off + j] + " vs " + exact + " > " + bound);
                    }
                    double y = exact * gamma[j] + beta[j];
                    double yBound = Math.abs(gamma[j]) * bound + U * (Math.abs(y) + Math.abs(exact * gamma[j]))
                            + Double.MIN_NORMAL;
                    if (!(Math.abs(out[off + j] - y) <= yBound)) {
                        fail(kernels + " width " + width + " out " + out[off + j] + " vs " + y + " > " + yBound);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void softmaxBackwardIsWithinItsBound(Kernels kernels) {
        SplittableRandom random = new SplittableRandom(5);
        for (int length : new int[] {1, 2, 7, 16, 33, 128, 513}) {
            float[] p = Reference.random(random, length + 2, 1);
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.abs(p[i]);
            }
            float[] dp = Reference.random(random, length + 2, 3);
            float[] before = dp.clone();
            kernels.softmaxBackward(p, dp, 1, length);
            double dot = 0;
            double magnitude = 0;
            for (int j = 1; j <= length; j++) {
                dot += (double) before[j] * p[j];
                magnitude += Math.abs((double) before[j] * p[j]);
            }
            double deltaDot = Bounds.gamma(KernelSets.sumDepth(kernels, length) + 1) * magnitude;
            for (int j = 1; j <= length; j++) {
                double exact = p[j] * (before[j] - dot);
                double bound = p[j] * (deltaDot + U * Math.abs(before[j] - dot)) + U * Math.abs(exact)
                        + Double.MIN_NORMAL;
                if (!(Math.abs(dp[j] - exact) <= bound)) {
                    fail(kernels + " length " + length + " index " + j + ": " + dp[j] + " vs " + exact + " > " + bound);
                }
            }
            assertTrue(dp[0] == before[0] && dp[length + 1] == before[length + 1], "outside the row");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void badArgumentsAreRejectedByName(Kernels kernels) {
        float[] g = new float[4];
        assertThrows(IllegalArgumentException.class,
                () -> kernels.activationBackward(Activation.GELU, new float[4], new float[3], 0, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kernels.layerNormBackward(new float[8], new float[1], new float[8], 0, 2, g, new float[8], g, g));
        assertTrue(e.getMessage().startsWith("rstd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> kernels.layerNormBackward(new float[8], new float[2], new float[8], 0, 2, g, new float[8],
                        new float[3], g));
        assertTrue(e.getMessage().startsWith("dGamma"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> kernels.softmaxBackward(new float[4], new float[3], 0, 4));
        assertTrue(e.getMessage().startsWith("dp"), e.getMessage());
    }
}
