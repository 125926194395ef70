package org.bert4j.engine.bert;

import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.LayerNorm;

import java.io.IOException;

/** Layer normalisation over each token vector, with learnt scale γ and shift β (PyTorch's {@code nn.LayerNorm}). */
public final class BertLayerNorm {

    private final float[] gamma;
    private final float[] beta;
    private final float eps;
    private final ComputePool pool;

    private BertLayerNorm(float[] gamma, float[] beta, float eps, ComputePool pool) {
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
        this.pool = pool;
    }

    /** Loads {@code <name>.weight} (γ) and {@code <name>.bias} (β), each [width]. */
    public static BertLayerNorm load(Checkpoint checkpoint, String name, int width, double eps, ComputePool pool)
            throws IOException {
        return new BertLayerNorm(checkpoint.floats(name + ".weight", width), checkpoint.floats(name + ".bias", width),
                (float) eps, pool);
    }

    /** out = LayerNorm(x) over each of {@code rows} rows. */
    public void apply(float[] x, int rows, float[] out) {
        LayerNorm.apply(x, rows, gamma.length, gamma, beta, eps, out, pool);
    }

    /** out = LayerNorm(x + residual): the "Add &amp; Norm" of the Transformer in one pass over memory. */
    public void addAndNorm(float[] residual, float[] x, int rows, float[] out) {
        LayerNorm.addAndNorm(residual, x, rows, gamma.length, gamma, beta, eps, out, pool);
    }
}
