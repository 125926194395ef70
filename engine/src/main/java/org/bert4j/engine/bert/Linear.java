package org.bert4j.engine.bert;

import org.bert4j.engine.kernels.Activation;
import org.bert4j.engine.kernels.Gemm;
import org.bert4j.engine.kernels.PackedWeight;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A fully connected layer, y = x·Wᵀ + b over every row of a packed batch (PyTorch's {@code nn.Linear}), with W
 * prepared once at load for the GEMM backend.
 */
public final class Linear {

    private final Gemm gemm;
    private final PackedWeight weight;   // W [out × in], PyTorch layout, in the backend's form
    private final float[] bias;

    private Linear(Gemm gemm, PackedWeight weight, float[] bias) {
        this.gemm = gemm;
        this.weight = weight;
        this.bias = bias;
    }

    /**
     * Loads {@code <name>.weight} [out × in] and {@code <name>.bias} [out]; an F32 weight is handed to the backend
     * memory-mapped (OpenBLAS reads it in place), so the checkpoint must stay open while the layer is used.
     */
    public static Linear load(Checkpoint checkpoint, String name, int out, int in, Compute compute) throws IOException {
        Gemm gemm = compute.gemm();
        long start = System.nanoTime();
        MemorySegment mapped = checkpoint.f32Segment(name + ".weight", out, in);
        PackedWeight w = mapped != null ? gemm.pack(mapped, out, in)
                : gemm.pack(checkpoint.floats(name + ".weight", out, in), out, in);
        compute.repacking().track(w, w.ownedBytes(), start);
        return new Linear(gemm, w, checkpoint.floats(name + ".bias", out));
    }

    /**
     * Loads several layers reading the same input and stacks them into one [Σout × in] layer, so one GEMM computes
     * them all (BERT's query, key and value projections): the concatenation happens once, here.
     */
    public static Linear fused(Checkpoint checkpoint, int in, int out, Compute compute, String... names)
            throws IOException {
        Gemm gemm = compute.gemm();
        long start = System.nanoTime();
        float[] weight = new float[names.length * out * in];
        float[] bias = new float[names.length * out];
        for (int i = 0; i < names.length; i++) {
            System.arraycopy(checkpoint.floats(names[i] + ".weight", out, in), 0, weight, i * out * in, out * in);
            System.arraycopy(checkpoint.floats(names[i] + ".bias", out), 0, bias, i * out, out);
        }
        PackedWeight w = gemm.pack(weight, names.length * out, in);
        // The stacked copy exists only in memory; the backend may copy it once more into its own layout.
        compute.repacking().track(w, Math.max(w.ownedBytes(), 4L * weight.length), start);
        return new Linear(gemm, w, bias);
    }

    /** Output width. */
    public int out() {
        return weight.out();
    }

    /** Input width. */
    public int in() {
        return weight.in();
    }

    /** y[rows × out] = x[rows × in] · Wᵀ + b. */
    public void forward(float[] x, int rows, float[] y) {
        gemm.linear(x, rows, weight, bias, y);
    }

    /** y = activation(x · Wᵀ + b), the activation applied while the output is still in cache where the backend can. */
    public void forward(float[] x, int rows, Activation activation, float[] y) {
        gemm.linear(x, rows, weight, bias, activation, y);
    }
}
