package org.bert4j.engine.bert;

import org.bert4j.folder.Int8Weight;
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
     * memory-mapped (OpenBLAS reads it in place), so the checkpoint must stay open while the layer is used. When the
     * model runs int8 and this is one of the weights int8 models quantize ({@link Int8Weight#isQuantized}), it is
     * read as int8 (or quantized now, if stored in floats).
     */
    public static Linear load(Checkpoint checkpoint, String name, int out, int in, Compute compute) throws IOException {
        Gemm gemm = compute.gemm();
        long start = System.nanoTime();
        String weight = name + ".weight";
        PackedWeight w;
        if (runsInt8(weight, compute)) {
            Int8Weight q = int8(checkpoint, weight, out, in);
            w = gemm.packInt8(q.values(), q.scales(), out, in);
        } else {
            MemorySegment mapped = checkpoint.isInt8(weight) ? null : checkpoint.f32Segment(weight, out, in);
            w = mapped != null ? gemm.pack(mapped, out, in) : gemm.pack(checkpoint.floats(weight, out, in), out, in);
        }
        compute.repacking().track(w, w.ownedBytes(), start);
        return new Linear(gemm, w, checkpoint.floats(name + ".bias", out));
    }

    private static boolean runsInt8(String weight, Compute compute) {
        return compute.int8() && Int8Weight.isQuantized(weight);
    }

    /** The int8 weight as stored, or quantized now from the floats stored (an error names the tensor). */
    private static Int8Weight int8(Checkpoint checkpoint, String weight, int out, int in) throws IOException {
        if (checkpoint.isInt8(weight)) {
            return checkpoint.int8(weight, out, in);
        }
        try {
            return Int8Weight.quantize(checkpoint.floats(weight, out, in), out, in);
        } catch (IllegalArgumentException e) {
            throw new IOException("tensor " + weight + " cannot be quantized: " + e.getMessage(), e);
        }
    }

    /**
     * Loads several layers reading the same input and stacks them into one [Σout × in] layer, so one GEMM computes
     * them all (BERT's query, key and value projections): the concatenation happens once, here.
     */
    public static Linear fused(Checkpoint checkpoint, int in, int out, Compute compute, String... names)
            throws IOException {
        Gemm gemm = compute.gemm();
        long start = System.nanoTime();
        float[] bias = new float[names.length * out];
        for (int i = 0; i < names.length; i++) {
            System.arraycopy(checkpoint.floats(names[i] + ".bias", out), 0, bias, i * out, out);
        }
        boolean int8 = true;
        for (String name : names) {
            int8 &= runsInt8(name + ".weight", compute);
        }
        if (int8) {
            // Rows are quantized independently: the stack of the quantized weights is the quantized stack.
            Int8Weight[] parts = new Int8Weight[names.length];
            for (int i = 0; i < names.length; i++) {
                parts[i] = int8(checkpoint, names[i] + ".weight", out, in);
            }
            Int8Weight stacked = Int8Weight.stack(parts);
            PackedWeight w = gemm.packInt8(stacked.values(), stacked.scales(), names.length * out, in);
            compute.repacking().track(w, w.ownedBytes(), start);
            return new Linear(gemm, w, bias);
        }
        float[] weight = new float[names.length * out * in];
        for (int i = 0; i < names.length; i++) {
            System.arraycopy(checkpoint.floats(names[i] + ".weight", out, in), 0, weight, i * out * in, out * in);
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

    /** Whether the weight is held in int8. */
    public boolean isInt8() {
        return weight.isInt8();
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
