package org.bert4j.training.bert;

import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.training.Compute;
import org.bert4j.training.Parameter;

import java.io.IOException;

/**
 * A trainable LayerNorm (PyTorch's {@code nn.LayerNorm}: biased variance, eps inside the root), keeping the
 * normalised input x̂ and 1/σ of each row for its backward.
 */
final class LayerNorm {

    final Parameter gamma;
    final Parameter beta;
    private final float eps;
    private final int width;

    /** What the forward keeps for the backward. */
    record Saved(float[] xHat, float[] rstd) {}

    private LayerNorm(Parameter gamma, Parameter beta, float eps) {
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
        this.width = gamma.size();
    }

    /** Loads {@code <name>.weight} (γ) and {@code <name>.bias} (β). */
    static LayerNorm load(Checkpoint checkpoint, String name, int width, double eps) throws IOException {
        return new LayerNorm(new Parameter(name + ".weight", new int[] {width}, checkpoint.floats(name + ".weight", width),
                false), new Parameter(name + ".bias", new int[] {width}, checkpoint.floats(name + ".bias", width), false),
                (float) eps);
    }

    /** out = LayerNorm(x) over {@code rows} rows; keeps x̂ and 1/σ when {@code save}. */
    Saved forward(Compute compute, float[] x, int rows, float[] out, boolean save) {
        float[] xHat = new float[rows * width];
        float[] rstd = new float[rows];
        compute.forRanges(rows, width, (from, to) -> compute.kernels()
                .layerNormTraining(x, from, to, gamma.value(), beta.value(), eps, out, xHat, rstd));
        return save ? new Saved(xHat, rstd) : null;
    }

    /**
     * dx from dy (dx may be dy), and dγ, dβ into the parameters: each thread's rows sum into a partial of their own,
     * and the partials are added in a fixed order, so the result does not depend on which thread finished first.
     */
    void backward(Compute compute, Saved saved, float[] dy, int rows, float[] dx) {
        int chunks = Math.min(compute.threadsFor((long) rows * width), Math.max(1, rows));
        float[][] dGamma = new float[chunks][width];
        float[][] dBeta = new float[chunks][width];
        compute.pool().parallelFor(chunks, c -> {
            int from = (int) ((long) rows * c / chunks);
            int to = (int) ((long) rows * (c + 1) / chunks);
            compute.kernels().layerNormBackward(saved.xHat(), saved.rstd(), dy, from, to, gamma.value(), dx,
                    dGamma[c], dBeta[c]);
        });
        float[] gg = gamma.gradForBackward();
        float[] gb = beta.gradForBackward();
        for (int c = 0; c < chunks; c++) {
            for (int j = 0; j < width; j++) {
                gg[j] += dGamma[c][j];
                gb[j] += dBeta[c][j];
            }
        }
    }
}
