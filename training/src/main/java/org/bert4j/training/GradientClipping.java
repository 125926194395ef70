package org.bert4j.training;

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
        double sumSquares = 0;
        for (Parameter parameter : parameters) {
            for (double g : parameter.grad()) {
                sumSquares += g * g;
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (maxNorm > 0 && Double.isFinite(maxNorm)) {
            double coefficient = maxNorm / (norm + 1e-6);
            if (coefficient < 1) {
                for (Parameter parameter : parameters) {
                    double[] g = parameter.grad();
                    for (int i = 0; i < g.length; i++) {
                        g[i] *= coefficient;
                    }
                }
            }
        }
        return norm;
    }
}
