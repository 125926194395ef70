package org.bert4j.training;

/** Adding a float gradient computed by a kernel into a parameter's double accumulator. */
public final class Gradients {
    private Gradients() {}

    /** parameter.grad += g over its whole length; marks the parameter as reached by the backward pass. */
    public static void add(Parameter parameter, float[] g) {
        double[] grad = parameter.gradForBackward();
        for (int i = 0; i < grad.length; i++) {
            grad[i] += g[i];
        }
    }
}
