package org.bert4j.heads.train;

import org.bert4j.training.LinearSchedule;
import org.bert4j.training.GradientClipping;
import org.bert4j.training.AdamW;
import org.bert4j.training.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OptimizerTest {

    @Test
    void adamWMatchesTheUpdateRuleWrittenOutByHand() {
        Parameter weight = new Parameter("w", new int[] {1}, new float[] {1.0f}, true);
        Parameter bias = new Parameter("b", new int[] {1}, new float[] {1.0f}, false);
        AdamW adam = new AdamW(List.of(weight, bias), 0.9, 0.999, 1e-8, 0.01);
        double lr = 0.1;
        double[] grads = {0.5, -0.25, 0.125};
        double w = 1.0;
        double b = 1.0;
        double m = 0;
        double v = 0;
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1];
            weight.gradForBackward()[0] = (float) g;
            bias.gradForBackward()[0] = (float) g;
            adam.step(lr);
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double update = lr * (m / (1 - Math.pow(0.9, t))) / (Math.sqrt(v / (1 - Math.pow(0.999, t))) + 1e-8);
            w = (float) (w * (1 - lr * 0.01) - update);
            b = (float) (b - update);
            assertEquals(w, weight.value()[0], 1e-7, "step " + t);
            assertEquals(b, bias.value()[0], 1e-7, "step " + t);
        }
        // Adam's first step moves each weight by lr against its gradient's sign.
        assertEquals(3, adam.steps());
    }

    /**
     * Two heads' weights, each stepped only when its task had a batch (PyTorch's zero_grad(set_to_none=True)):
     * a tensor without a gradient gets no decay and no momentum, and its bias correction counts its own steps.
     * A tensor reached with an all-zero gradient is still stepped, as in PyTorch. The expected values come from
     * a separate float64 script (theta rounded to float32 after each update, as a float32 tensor is).
     */
    @Test
    void adamWSkipsTensorsWithoutAGradientAsPyTorchDoes() {
        Parameter a = new Parameter("a.weight", new int[] {1}, new float[] {1.0f}, true);
        Parameter b = new Parameter("b.weight", new int[] {1}, new float[] {1.0f}, true);
        AdamW adam = new AdamW(List.of(a, b), 0.9, 0.999, 1e-8, 0.01);
        Double[] gradsA = {0.5, -0.25, null, 0.125};
        Double[] gradsB = {0.3, null, 0.0, -0.2};
        double[] expectedA = {0.8989999890327454, 0.8714672923088074, 0.8714672923088074, 0.8365529179573059};
        double[] expectedB = {0.8989999890327454, 0.8989999890327454, 0.8310951590538025, 0.8226402401924133};
        for (int s = 0; s < gradsA.length; s++) {
            a.zeroGrad();
            b.zeroGrad();
            if (gradsA[s] != null) {
                a.gradForBackward()[0] = gradsA[s].floatValue();
            }
            if (gradsB[s] != null) {
                b.gradForBackward()[0] = gradsB[s].floatValue();
            }
            float beforeA = a.value()[0];
            float beforeB = b.value()[0];
            adam.step(0.1);
            if (gradsA[s] == null) {
                assertEquals(beforeA, a.value()[0], 0, "a is untouched by step " + (s + 1));
            }
            if (gradsB[s] == null) {
                assertEquals(beforeB, b.value()[0], 0, "b is untouched by step " + (s + 1));
            }
            // AdamW runs in float32, as PyTorch's: each step rounds θ (2⁻²⁴ of it) and its update, ~10 operations
            // of 2⁻²⁴ each on a step of at most lr·(1 − β₁)/√(1 − β₂) ≈ 3.2·lr; the errors add up over the steps.
            double tolerance = (s + 1) * 0x1p-24 * (1 + 10 * 3.2 * 0.1);
            assertEquals(expectedA[s], a.value()[0], tolerance, "a after step " + (s + 1));
            assertEquals(expectedB[s], b.value()[0], tolerance, "b after step " + (s + 1));
        }
        assertEquals(4, adam.steps());
        assertEquals(3, adam.steps(a));
        assertEquals(3, adam.steps(b));
    }

    @Test
    void linearScheduleWarmsUpThenDecaysToZero() {
        LinearSchedule schedule = new LinearSchedule(2, 10);
        double[] expected = {0, 0.5, 1, 7.0 / 8, 6.0 / 8, 5.0 / 8, 4.0 / 8, 3.0 / 8, 2.0 / 8, 1.0 / 8, 0, 0};
        for (int step = 0; step < expected.length; step++) {
            assertEquals(expected[step], schedule.factor(step), 1e-12, "step " + step);
        }
        assertEquals(1.0, new LinearSchedule(0, 4).factor(0), 1e-12);
    }

    @Test
    void warmUpOverEveryStepIsAllowedAsInHuggingFace() {
        // warmup_ratio 1: the learning rate rises over all steps and never reaches the peak.
        TrainingOptions all = TrainingOptions.defaults().withWarmupRatio(1.0);
        assertEquals(1.0, all.warmupRatio());
        LinearSchedule schedule = new LinearSchedule(4, 4);
        double[] expected = {0, 0.25, 0.5, 0.75, 0};
        for (int step = 0; step < expected.length; step++) {
            assertEquals(expected[step], schedule.factor(step), 1e-12, "step " + step);
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainingOptions.defaults().withWarmupRatio(1.01));
        assertEquals("warm-up ratio must be in [0, 1], got 1.01", e.getMessage());
    }

    @Test
    void clippingScalesToTheGlobalNormOnlyWhenAbove() {
        Parameter a = new Parameter("a", new int[] {1}, new float[1], true);
        Parameter b = new Parameter("b", new int[] {1}, new float[1], true);
        a.grad()[0] = 3;
        b.grad()[0] = 4;
        assertEquals(5.0, GradientClipping.clipByGlobalNorm(List.of(a, b), 1.0), 1e-12);
        // Float gradients: the coefficient and the product are each rounded to float32, 2⁻²⁴ relative apiece.
        assertEquals(3 / (5 + 1e-6), a.grad()[0], 2 * 0x1p-24 * 3 / 5);
        assertEquals(4 / (5 + 1e-6), b.grad()[0], 2 * 0x1p-24 * 4 / 5);
        a.grad()[0] = 0.3f;
        b.grad()[0] = 0.4f;
        GradientClipping.clipByGlobalNorm(List.of(a, b), 1.0);
        assertEquals(0.3f, a.grad()[0], 0f);
    }
}
