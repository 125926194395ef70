package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The activations against double-precision references over dense sweeps of inputs. Measured maxima (this
 * machine, AVX2) are in the assertion messages; the bounds below leave a small margin over them.
 */
class ActivationsTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Every float step of 1e-5 over [−6, 6] (1.2 million inputs) plus the far tails. */
    private static float[] sweep() {
        int n = 1_200_001;
        float[] x = new float[n + 4];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (-6 + 12.0 * i / (n - 1));
        }
        x[n] = -50f;
        x[n + 1] = 50f;
        x[n + 2] = 0f;
        x[n + 3] = -0f;
        return x;
    }

    @Test
    void erfIsWithinTwoTenthsOfAMillionthEverywhere() {
        float[] x = sweep();
        double worst = 0;
        double worstAt = 0;
        for (int i = 0; i + S.length() <= x.length; i += S.length()) {
            float[] y = new float[S.length()];
            Erf.erf(FloatVector.fromArray(S, x, i)).intoArray(y, 0);
            for (int l = 0; l < S.length(); l++) {
                double error = Math.abs(y[l] - Reference.erf(x[i + l]));
                if (error > worst) {
                    worst = error;
                    worstAt = x[i + l];
                }
            }
        }
        assertTrue(worst <= 2e-7, "max |erf error| = " + worst + " at x = " + worstAt);
        System.out.printf("erf: max abs error %.3g at x = %s%n", worst, worstAt);
    }

    @Test
    void exactGeluMatchesTheErfDefinition() {
        // |error| ≤ 2e-7 · max(1, |x|): erf's error, scaled by 0.5·|x|, plus float rounding of the product.
        double worst = maxScaledError(sweep(), Activations::geluVector, Reference::gelu);
        assertTrue(worst <= 2e-7, "max scaled GELU error " + worst);
        double scalar = maxScaledError(sweep(), ScalarKernels::gelu, Reference::gelu);
        assertTrue(scalar <= 2e-7, "max scaled GELU error of the scalar (cold start) path " + scalar);
        System.out.printf("gelu: max error / max(1,|x|) %.3g%n", worst);
    }

    @Test
    void tanhGeluMatchesTheTanhApproximation() {
        double worst = maxScaledError(sweep(), Activations::geluTanhVector, Reference::geluTanh);
        assertTrue(worst <= 3e-7, "max scaled GELU-tanh error " + worst);
        assertTrue(maxScaledError(sweep(), ScalarKernels::geluTanh, Reference::geluTanh) <= 3e-7);
        System.out.printf("gelu_tanh: max error / max(1,|x|) %.3g%n", worst);
    }

    @Test
    void tanhAndReluMatchTheirDefinitions() {
        assertTrue(maxScaledError(sweep(), Activations::tanh, Math::tanh) <= 2e-7);
        assertEquals(0, maxScaledError(sweep(), Activations::reluVector, v -> Math.max(0, v)));
        assertEquals(0, maxScaledError(sweep(), ScalarKernels::relu, v -> Math.max(0, v)));
    }

    @Test
    void geluOfHugeInputsSaturatesWithoutNaN() {
        float[] x = {-1e30f, -100f, 100f, 1e30f, Float.NEGATIVE_INFINITY};
        Activations.gelu(x, 0, x.length);
        assertEquals(0f, Math.abs(x[0]));
        assertEquals(0f, Math.abs(x[1]));
        assertEquals(100f, x[2]);
        assertEquals(1e30f, x[3]);
        float[] t = {-1e30f, 1e30f};
        Activations.geluTanh(t, 0, t.length);
        assertEquals(0f, Math.abs(t[0]));
        assertEquals(1e30f, t[1]);
    }

    @Test
    void onlyTheGivenRangeChanges() {
        for (int length = 0; length < 3 * S.length(); length++) {
            float[] x = new float[length + 10];
            java.util.Arrays.fill(x, -1f);
            Activations.relu(x, 5, 5 + length);
            for (int i = 0; i < x.length; i++) {
                boolean inside = i >= 5 && i < 5 + length;
                assertEquals(inside ? 0f : -1f, x[i], "length " + length + " index " + i);
            }
        }
    }

    @Test
    void addBiasAddsToEveryRow() {
        float[] y = new float[3 * 11];
        float[] bias = new float[11];
        for (int j = 0; j < 11; j++) {
            bias[j] = j;
        }
        Activations.addBias(y, 3, bias);
        for (int i = 0; i < y.length; i++) {
            assertEquals(i % 11, y[i]);
        }
    }

    @Test
    void badRangesAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Activations.gelu(new float[4], 2, 5));
        assertTrue(e.getMessage().startsWith("x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Activations.relu(null, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Activations.addBias(new float[5], 2, new float[3]));
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

    interface InPlace {
        void apply(float[] x, int from, int to);
    }

    private static double maxScaledError(float[] x, InPlace kernel, DoubleUnaryOperator reference) {
        float[] y = x.clone();
        // An odd offset and length exercise the masked tail.
        kernel.apply(y, 1, y.length);
        double worst = 0;
        for (int i = 1; i < x.length; i++) {
            double error = Math.abs(y[i] - reference.applyAsDouble(x[i])) / Math.max(1, Math.abs(x[i]));
            worst = Math.max(worst, error);
        }
        return worst;
    }
}
