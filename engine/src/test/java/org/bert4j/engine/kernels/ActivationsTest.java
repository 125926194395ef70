package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The activations of every kernel set against double-precision definitions over a dense sweep of inputs, each
 * element within a bound derived from how it is computed (not from what a run measured):
 * <ul>
 *   <li>GELU = h + h·erf(t), h = x/2 (exact), t = x·(1/√2) rounded twice (the constant and the product: 2u·|t|, which
 *       moves erf by at most 2/√π times that). So |error| ≤ |h|·(E_erf(t) + 1.13·2u·|t|) + u·|gelu| for the fused
 *       multiply-add, with E_erf the bound of {@link Erf}'s polynomial ({@link Bounds#erf}). The scalar set computes
 *       the same erf and the rest in double.</li>
 *   <li>gelu_tanh = x / (1 + e), e = exp(−2v), v = √(2/π)·x·(1 + 0.044715x²) in four roundings (γ_5 with the
 *       constant's): an error δ in v moves the result by |x|·σ'·2δ ≤ |x|·δ/2; e carries exp's relative error
 *       ({@link Bounds#expRelative}), which reaches the result damped by e/(1+e) ≤ 1; the addition and the division
 *       add 2u. The scalar set computes it in double: 2u.</li>
 *   <li>relu is exact; tanh (StrictMath in double, rounded once) is within u·|tanh| + 1e-16.</li>
 * </ul>
 */
class ActivationsTest {

    /** Every step of 5e-5 over [−6, 6] (240,000 inputs), the far tails and both zeros. */
    private static float[] sweep() {
        int n = 240_001;
        float[] x = new float[n + 6];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (-6 + 12.0 * i / (n - 1));
        }
        x[n] = -50f;
        x[n + 1] = 50f;
        x[n + 2] = 0f;
        x[n + 3] = -0f;
        x[n + 4] = -9.5f;
        x[n + 5] = 12.25f;
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void exactGeluIsWithinItsBound(Kernels kernels) {
        check(kernels, Activation.GELU, x -> {
            double h = Math.abs(x) / 2;
            double t = x / Math.sqrt(2);
            return h * (Bounds.erf(t) + 1.13 * 2 * Bounds.U * Math.abs(t)) + 2 * Bounds.U * Math.abs(Reference.gelu(x));
        }, Reference::gelu);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void tanhGeluIsWithinItsBound(Kernels kernels) {
        check(kernels, Activation.GELU_TANH, x -> {
            double y = Math.abs(Reference.geluTanh(x));
            if (kernels.vectorBits() == 0) {
                return 2 * Bounds.U * y + 1e-300;
            }
            double v = Math.sqrt(2 / Math.PI) * x * (1 + 0.044715 * x * x);
            double e = Math.exp(-2 * v);
            double expError = Double.isFinite(e) ? Bounds.expRelative(-2 * v) : 0;
            return Math.abs(x) * Bounds.gamma(5) * Math.abs(v) / 2 + y * (expError + 2 * Bounds.U) + 1e-300;
        }, Reference::geluTanh);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void reluIsExactAndTanhCorrectlyRounded(Kernels kernels) {
        check(kernels, Activation.RELU, x -> 0, x -> Math.max(0, x));
        check(kernels, Activation.TANH, x -> Bounds.U * Math.abs(Math.tanh(x)) + 1e-16, Math::tanh);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void geluOfHugeInputsSaturatesWithoutNaN(Kernels kernels) {
        float[] x = {-1e30f, -100f, 100f, 1e30f, Float.NEGATIVE_INFINITY};
        kernels.activate(Activation.GELU, x, 0, x.length);
        assertEquals(0f, Math.abs(x[0]));
        assertEquals(0f, Math.abs(x[1]));
        assertEquals(100f, x[2]);
        assertEquals(1e30f, x[3]);
        float[] t = {-1e30f, 1e30f, -100f};
        kernels.activate(Activation.GELU_TANH, t, 0, t.length);
        assertEquals(0f, Math.abs(t[0]));
        assertEquals(1e30f, t[1]);
        assertEquals(0f, Math.abs(t[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void onlyTheGivenRangeChanges(Kernels kernels) {
        for (int length = 0; length < 40; length++) {
            float[] x = new float[length + 10];
            Arrays.fill(x, -1f);
            kernels.activate(Activation.RELU, x, 5, 5 + length);
            for (int i = 0; i < x.length; i++) {
                boolean inside = i >= 5 && i < 5 + length;
                assertEquals(inside ? 0f : -1f, x[i], "length " + length + " index " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.bert4j.engine.kernels.KernelSets#all")
    void badRangesAreRejectedByName(Kernels kernels) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kernels.activate(Activation.GELU, new float[4], 2, 5));
        assertTrue(e.getMessage().startsWith("x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> kernels.activate(Activation.RELU, null, 0, 0));
    }

    @Test
    void configNamesMapToActivations() {
        assertEquals(Activation.GELU, Activation.fromConfig("gelu"));
        assertEquals(Activation.GELU_TANH, Activation.fromConfig("gelu_new"));
        assertEquals(Activation.GELU_TANH, Activation.fromConfig("gelu_pytorch_tanh"));
        assertEquals(Activation.GELU_TANH, Activation.fromConfig("gelu_fast"));
        assertEquals(Activation.RELU, Activation.fromConfig("relu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Activation.fromConfig("quick_gelu"));
        assertTrue(e.getMessage().contains("hidden_act") && e.getMessage().contains("quick_gelu"));
        assertThrows(IllegalArgumentException.class, () -> Activation.fromConfig(null));
    }

    @Test
    void scalarErfIsWithinItsBound() {
        float[] x = sweep();
        for (float v : x) {
            double error = Math.abs(Erf.erf(v) - Reference.erf(v));
            if (!(error <= Bounds.erf(v))) {
                fail("erf(" + v + "): error " + error + " > bound " + Bounds.erf(v));
            }
        }
    }

    private static void check(Kernels kernels, Activation activation, java.util.function.DoubleUnaryOperator bound,
                              java.util.function.DoubleUnaryOperator reference) {
        float[] x = sweep();
        float[] y = x.clone();
        // An odd offset and length exercise the masked tail.
        kernels.activate(activation, y, 1, y.length);
        double worstRatio = 0;
        for (int i = 1; i < x.length; i++) {
            double error = Math.abs(y[i] - reference.applyAsDouble(x[i]));
            double allowed = bound.applyAsDouble(x[i]);
            if (!(error <= allowed)) {
                fail(kernels + " " + activation + "(" + x[i] + ") = " + y[i] + ", exact "
                        + reference.applyAsDouble(x[i]) + ": error " + error + " > bound " + allowed);
            }
            worstRatio = allowed > 0 ? Math.max(worstRatio, error / allowed) : worstRatio;
        }
        System.out.printf("%s %s: worst error / bound %.3f%n", kernels, activation, worstRatio);
    }
}
