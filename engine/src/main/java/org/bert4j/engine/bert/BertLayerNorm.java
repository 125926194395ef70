package org.bert4j.engine.bert;

import java.io.IOException;

/** Layer normalisation over each token vector, with learnt scale γ and shift β (PyTorch's {@code nn.LayerNorm}). */
public final class BertLayerNorm {

    private final float[] gamma;
    private final float[] beta;
    private final float eps;

    private BertLayerNorm(float[] gamma, float[] beta, float eps) {
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
    }

    /** Loads {@code <name>.weight} (γ) and {@code <name>.bias} (β), each [width]. */
    public static BertLayerNorm load(Checkpoint checkpoint, String name, int width, double eps) throws IOException {
        return new BertLayerNorm(checkpoint.floats(name + ".weight", width), checkpoint.floats(name + ".bias", width), (float) eps);
    }

    /** out = LayerNorm(x) over each of {@code rows} rows. */
    public void apply(float[] x, int rows, float[] out) {
        PlaceholderKernels.addAndNorm(null, x, rows, gamma.length, gamma, beta, eps, out);
    }

    /** out = LayerNorm(x + residual): the "Add &amp; Norm" of the Transformer in one pass. */
    public void addAndNorm(float[] residual, float[] x, int rows, float[] out) {
        PlaceholderKernels.addAndNorm(residual, x, rows, gamma.length, gamma, beta, eps, out);
    }
}
