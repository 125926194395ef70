package org.bert4j.training;

import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Kernels;

import java.util.List;

/**
 * Clipping by the global L2 norm of all gradients, as PyTorch's {@code clip_grad_norm_}: when the norm exceeds
 * {@code maxNorm}, every gradient is scaled by maxNorm / (norm + 1e-6), keeping the update's direction. A training
 * loop can also take the {@link #globalNorm norm} and the {@link #scale scale} alone and let the optimiser apply
 * the scale as it reads each gradient ({@link AdamW#stepAndZeroGrad(double, float, ComputePool)}), saving a pass
 * over every gradient.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /** Clips in place and returns the norm before clipping; {@code maxNorm <= 0} or infinite means no clipping. */
    public static double clipByGlobalNorm(List<Parameter> parameters, double maxNorm) {
        return clipByGlobalNorm(parameters, maxNorm, null);
    }

    /** {@link #clipByGlobalNorm(List, double)} over {@code pool} (null: this thread). */
    public static double clipByGlobalNorm(List<Parameter> parameters, double maxNorm, ComputePool pool) {
        double norm = globalNorm(parameters, Kernels.scalar(), pool);
        float scale = scale(norm, maxNorm);
        if (scale < 1) {
            List<ParameterChunks.Chunk> chunks = ParameterChunks.of(parameters);
            ParameterChunks.forEach(chunks, pool, c -> {
                ParameterChunks.Chunk chunk = chunks.get(c);
                float[] g = parameters.get(chunk.parameter()).grad();
                for (int i = chunk.from(); i < chunk.to(); i++) {
                    g[i] *= scale;
                }
            });
        }
        return norm;
    }

    /**
     * The L2 norm of all gradients, over {@code pool} (null: this thread). The squares are summed chunk by chunk
     * (by {@code kernels}) and the chunks' sums in order, a cut that depends only on the tensors' sizes: the same
     * bits at any thread count.
     */
    public static double globalNorm(List<Parameter> parameters, Kernels kernels, ComputePool pool) {
        List<ParameterChunks.Chunk> chunks = ParameterChunks.of(parameters);
        double[] partial = new double[chunks.size()];
        ParameterChunks.forEach(chunks, pool, c -> {
            ParameterChunks.Chunk chunk = chunks.get(c);
            partial[c] = kernels.sumOfSquares(parameters.get(chunk.parameter()).grad(), chunk.from(), chunk.to());
        });
        double sumSquares = 0;
        for (double s : partial) {
            sumSquares += s;
        }
        return Math.sqrt(sumSquares);
    }

    /**
     * What clipping multiplies every gradient by: maxNorm / (norm + 1e-6) when that is below 1, else 1 (also when
     * {@code maxNorm <= 0} or infinite: no clipping).
     */
    public static float scale(double norm, double maxNorm) {
        if (maxNorm > 0 && Double.isFinite(maxNorm)) {
            double coefficient = maxNorm / (norm + 1e-6);
            if (coefficient < 1) {
                return (float) coefficient;
            }
        }
        return 1f;
    }
}
