package org.bert4j.engine.bert;

import java.io.IOException;

/** A fully connected layer, y = x·Wᵀ + b over every row of a packed batch (PyTorch's {@code nn.Linear}). */
public final class Linear {

    private final int out;
    private final int in;
    private final float[] weight;   // [out × in], PyTorch layout
    private final float[] bias;

    private Linear(float[] weight, float[] bias, int out, int in) {
        this.weight = weight;
        this.bias = bias;
        this.out = out;
        this.in = in;
    }

    /** Loads {@code <name>.weight} [out × in] and {@code <name>.bias} [out]. */
    public static Linear load(Checkpoint checkpoint, String name, int out, int in) throws IOException {
        return new Linear(checkpoint.floats(name + ".weight", out, in), checkpoint.floats(name + ".bias", out), out, in);
    }

    /**
     * Loads several layers reading the same input and stacks them into one [Σout × in] layer, so one GEMM computes
     * them all (BERT's query, key and value projections).
     */
    public static Linear fused(Checkpoint checkpoint, int in, int out, String... names) throws IOException {
        float[] weight = new float[names.length * out * in];
        float[] bias = new float[names.length * out];
        for (int i = 0; i < names.length; i++) {
            System.arraycopy(checkpoint.floats(names[i] + ".weight", out, in), 0, weight, i * out * in, out * in);
            System.arraycopy(checkpoint.floats(names[i] + ".bias", out), 0, bias, i * out, out);
        }
        return new Linear(weight, bias, names.length * out, in);
    }

    /** Output width. */
    public int out() {
        return out;
    }

    /** Input width. */
    public int in() {
        return in;
    }

    /** y[rows × out] = x[rows × in] · Wᵀ + b. */
    public void forward(float[] x, int rows, float[] y) {
        PlaceholderKernels.linear(x, rows, weight, out, in, bias, y);
    }
}
