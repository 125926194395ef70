package org.bert4j.engine.bert;

import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Kernels;

import java.io.IOException;

/** Layer normalisation over each token vector, with learnt scale γ and shift β (PyTorch's {@code nn.LayerNorm}). */
public final class BertLayerNorm {

    /** Below ~16k elements a parallel loop costs more in wake-ups than it saves. */
    private static final long PARALLEL_ELEMENTS = 16_384;

    private final float[] gamma;
    private final float[] beta;
    private final float eps;
    private final Kernels kernels;
    private final ComputePool pool;

    private BertLayerNorm(float[] gamma, float[] beta, float eps, Compute compute) {
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
        this.kernels = compute.kernels();
        this.pool = compute.pool();
    }

    /** Loads {@code <name>.weight} (γ) and {@code <name>.bias} (β), each [width]. */
    public static BertLayerNorm load(Checkpoint checkpoint, String name, int width, double eps, Compute compute)
            throws IOException {
        return new BertLayerNorm(checkpoint.floats(name + ".weight", width), checkpoint.floats(name + ".bias", width),
                (float) eps, compute);
    }

    /** out = LayerNorm(x) over each of {@code rows} rows. */
    public void apply(float[] x, int rows, float[] out) {
        pool.parallelForRanges(rows, chunks(rows), (from, to) -> kernels.layerNorm(x, from, to, gamma, beta, eps, out));
    }

    /** out = LayerNorm(x + residual): the "Add &amp; Norm" of the Transformer in one pass over memory. */
    public void addAndNorm(float[] residual, float[] x, int rows, float[] out) {
        pool.parallelForRanges(rows, chunks(rows),
                (from, to) -> kernels.addAndLayerNorm(residual, x, from, to, gamma, beta, eps, out));
    }

    private int chunks(int rows) {
        return (long) rows * gamma.length < PARALLEL_ELEMENTS ? 1 : pool.threads();
    }
}
