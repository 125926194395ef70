package org.bert4j.heads;

import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Central finite differences against analytic gradients. Values are float, so each perturbation is the
 * float actually stored (w ± h rounded), and the loss is computed in double: the only error left is the
 * O(h²) of the central difference.
 */
final class GradientCheck {

    private static final double STEP = 1e-3;

    private GradientCheck() {
    }

    /** {@link #assertMatches(String, float[], double[], DoubleSupplier)} for a parameter's float gradient. */
    static void assertMatches(String name, float[] values, float[] analytic, DoubleSupplier loss) {
        double[] widened = new double[analytic.length];
        for (int i = 0; i < analytic.length; i++) {
            widened[i] = analytic[i];
        }
        assertMatches(name, values, widened, loss);
    }

    static void assertMatches(String name, float[] values, double[] analytic, DoubleSupplier loss) {
        for (int i = 0; i < values.length; i++) {
            float original = values[i];
            values[i] = (float) (original + STEP);
            double up = values[i] - (double) original;
            double lossUp = loss.getAsDouble();
            values[i] = (float) (original - STEP);
            double down = original - (double) values[i];
            double lossDown = loss.getAsDouble();
            values[i] = original;
            double numeric = (lossUp - lossDown) / (up + down);
            assertEquals(numeric, analytic[i], 1e-7 + 1e-5 * Math.abs(numeric), name + "[" + i + "]");
        }
    }
}
