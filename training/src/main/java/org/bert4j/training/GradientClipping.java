package org.bert4j.training;

import org.bert4j.engine.kernels.ComputePool;

import java.util.List;

/**
 * Clipping by the global L2 norm of all gradients, as PyTorch's {@code clip_grad_norm_}: when the norm exceeds
 * {@code maxNorm}, every gradient is scaled by maxNorm / (norm + 1e-6), keeping the update's direction.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /** Clips in place and returns the norm before clipping; {@code maxNorm <= 0} or infinite means no clipping. */
    public static double clipByGlobalNorm(List<Parameter> parameters, double maxNorm) {
        return clipByGlobalNorm(parameters, maxNorm, null);
    }

    /**
     * {@link #clipByGlobalNorm(List, double)} over {@code pool} (null: this thread). The squares are summed chunk by
     * chunk and the chunks' sums in order, a cut that depends only on the tensors' sizes: the same bits at any
     * thread count.
     */
    public static double clipByGlobalNorm(List<Parameter> parameters, double maxNorm, ComputePool pool) {
        List<ParameterChunks.Chunk> chunks = ParameterChunks.of(parameters);
        double[] partial = new double[chunks.size()];
        ParameterChunks.forEach(chunks, pool, c -> {
            ParameterChunks.Chunk chunk = chunks.get(c);
            double[] g = parameters.get(chunk.parameter()).grad();
            double sum = 0;
            for (int i = chunk.from(); i < chunk.to(); i++) {
                sum += g[i] * g[i];
            }
            partial[c] = sum;
        });
        double sumSquares = 0;
        for (double s : partial) {
            sumSquares += s;
        }
        double norm = Math.sqrt(sumSquares);
        if (maxNorm > 0 && Double.isFinite(maxNorm)) {
            double coefficient = maxNorm / (norm + 1e-6);
            if (coefficient < 1) {
                ParameterChunks.forEach(chunks, pool, c -> {
                    ParameterChunks.Chunk chunk = chunks.get(c);
                    double[] g = parameters.get(chunk.parameter()).grad();
                    for (int i = chunk.from(); i < chunk.to(); i++) {
                        g[i] *= coefficient;
                    }
                });
            }
        }
        return norm;
    }
}
