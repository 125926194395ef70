package org.bert4j.heads;

import org.bert4j.training.Parameter;
import org.bert4j.heads.ner.TokenLabels;
import org.bert4j.heads.train.CrossEntropy;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinearTest {

    @Test
    void forwardMatchesAnExactDecimalReference() {
        Random random = new Random(1);
        int in = 37;
        int out = 5;
        int rows = 3;
        Linear linear = new Linear("l", in, out);
        linear.initialize(random, 0.5);
        for (int o = 0; o < out; o++) {
            linear.bias().value()[o] = (float) random.nextGaussian();
        }
        float[] x = randomFloats(random, rows * in);
        double[] y = new double[rows * out];
        linear.forward(x, rows, y);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                BigDecimal sum = new BigDecimal(linear.bias().value()[o]);
                for (int i = 0; i < in; i++) {
                    sum = sum.add(new BigDecimal(x[r * in + i]).multiply(new BigDecimal(linear.weight().value()[o * in + i])));
                }
                assertEquals(sum.round(MathContext.DECIMAL64).doubleValue(), y[r * out + o], 1e-13);
            }
        }
    }

    @Test
    void crossEntropyGradientsMatchFiniteDifferencesForEveryParameterAndInput() {
        Random random = new Random(2);
        int in = 6;
        int out = 4;
        int rows = 5;
        Linear linear = new Linear("l", in, out);
        linear.initialize(random, 0.7);
        for (int o = 0; o < out; o++) {
            linear.bias().value()[o] = (float) (0.3 * random.nextGaussian());
        }
        float[] x = randomFloats(random, rows * in);
        int[] targets = {1, TokenLabels.IGNORE, 3, 0, 3};
        double[] classWeights = {0.5, 2.0, 1.0, 1.5};

        double[] logits = new double[rows * out];
        double[] dLogits = new double[rows * out];
        double[] dx = new double[rows * in];
        linear.forward(x, rows, logits);
        CrossEntropy.lossAndGradient(logits, rows, out, targets, classWeights, dLogits);
        linear.backward(x, rows, dLogits, dx);

        java.util.function.DoubleSupplier loss = () -> {
            double[] z = new double[rows * out];
            linear.forward(x, rows, z);
            return CrossEntropy.lossAndGradient(z, rows, out, targets, classWeights, new double[rows * out]);
        };
        for (Parameter parameter : linear.parameters()) {
            GradientCheck.assertMatches(parameter.name(), parameter.value(), parameter.grad(), loss);
        }
        GradientCheck.assertMatches("x", x, dx, loss);
        // the ignored row gets no input gradient at all
        for (int i = in; i < 2 * in; i++) {
            assertEquals(0.0, dx[i]);
        }
    }

    static float[] randomFloats(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
