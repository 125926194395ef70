package org.bert4j.training;

import org.bert4j.engine.kernels.ComputePool;

import java.util.Arrays;
import java.util.List;

/** Gradient accumulators: adding a kernel's gradient into a parameter's, and clearing them. */
public final class Gradients {
    private Gradients() {}

    /** parameter.grad += g over its whole length; marks the parameter as reached by the backward pass. */
    public static void add(Parameter parameter, float[] g) {
        float[] grad = parameter.gradForBackward();
        for (int i = 0; i < grad.length; i++) {
            grad[i] += g[i];
        }
    }

    /** Zeroes every parameter's gradient, as {@link Parameter#zeroGrad()} does, over {@code pool} (null: this thread). */
    public static void zero(List<Parameter> parameters, ComputePool pool) {
        List<ParameterChunks.Chunk> chunks = ParameterChunks.of(parameters);
        ParameterChunks.forEach(chunks, pool, c -> {
            ParameterChunks.Chunk chunk = chunks.get(c);
            Arrays.fill(parameters.get(chunk.parameter()).grad(), chunk.from(), chunk.to(), 0);
        });
        for (Parameter parameter : parameters) {
            parameter.markUnreached();
        }
    }
}
