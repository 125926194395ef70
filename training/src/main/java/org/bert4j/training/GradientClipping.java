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
            partial[c] = sumOfSquares(parameters.get(chunk.parameter()).grad(), chunk.from(), chunk.to());
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
                    float[] g = parameters.get(chunk.parameter()).grad();
                    float scale = (float) coefficient;
                    for (int i = chunk.from(); i < chunk.to(); i++) {
                        g[i] *= scale;
                    }
                });
            }
        }
        return norm;
    }

    /**
     * Σ g[i]² over [from, to) in double, in four interleaved sums added at the end: one running sum would wait on each
     * addition's latency, and the order is still fixed by the range alone.
     */
    static double sumOfSquares(float[] g, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += (double) g[i] * g[i];
            s1 += (double) g[i + 1] * g[i + 1];
            s2 += (double) g[i + 2] * g[i + 2];
            s3 += (double) g[i + 3] * g[i + 3];
        }
        for (; i < to; i++) {
            s0 += (double) g[i] * g[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
