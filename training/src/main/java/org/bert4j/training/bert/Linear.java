package org.bert4j.training.bert;

import org.bert4j.training.Compute;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.training.Parameter;

import java.io.IOException;

/**
 * A trainable fully connected layer, y = x·Wᵀ + b over the rows of a packed batch (PyTorch's {@code nn.Linear}),
 * and its backward: dW += dYᵀ·X, db += Σ_rows dY, dX = dY·W.
 */
final class Linear {

    final Parameter weight;   // [out × in]
    final Parameter bias;     // [out]
    final int out;
    final int in;

    private Linear(Parameter weight, Parameter bias, int out, int in) {
        this.weight = weight;
        this.bias = bias;
        this.out = out;
        this.in = in;
    }

    /** Loads {@code <name>.weight} [out × in] and {@code <name>.bias} [out] as trainable copies. */
    static Linear load(Checkpoint checkpoint, String name, int out, int in) throws IOException {
        return new Linear(new Parameter(name + ".weight", new int[] {out, in}, checkpoint.floats(name + ".weight", out, in),
                true), new Parameter(name + ".bias", new int[] {out}, checkpoint.floats(name + ".bias", out), false),
                out, in);
    }

    /** y[rows × out] = x[rows × in] · Wᵀ + b. */
    void forward(Compute compute, float[] x, int rows, float[] y) {
        compute.multiply(false, true, rows, out, in, x, in, weight.value(), in, 0f, y, out);
        float[] b = bias.value();
        compute.forRanges(rows, out, (from, to) -> {
            for (int r = from; r < to; r++) {
                int row = r * out;
                for (int j = 0; j < out; j++) {
                    y[row + j] += b[j];
                }
            }
        });
    }

    /**
     * Given the forward's input x and dY: dW += dYᵀ·X and db += Σ dY into the parameters' gradients, and, when dx is
     * not null, dX = dY·W written into dx ({@code addToDx}: added to what dx holds, for an input shared by several
     * layers, as attention's query, key and value projections share theirs).
     */
    void backward(Compute compute, float[] x, float[] dy, int rows, float[] dx, boolean addToDx) {
        // β = 1: the product adds into the accumulator, as gradient accumulation over batches needs.
        compute.multiply(true, false, out, in, rows, dy, out, x, in, 1f, weight.gradForBackward(), in);
        addColumnSums(compute, dy, rows, out, 0, out, bias.gradForBackward());
        if (dx != null) {
            compute.multiply(false, false, rows, in, out, dy, out, weight.value(), in, addToDx ? 1f : 0f, dx, in);
        }
    }

    /**
     * into[j] += Σ_r m[r·stride + column + j] for j in [0, width): a bias's gradient, the column sums of dY. Threads
     * take column ranges, so each sum runs over the rows in order, whatever the thread count.
     */
    static void addColumnSums(Compute compute, float[] m, int rows, int stride, int column, int width, float[] into) {
        compute.forRanges(width, rows, (from, to) -> {
            for (int r = 0; r < rows; r++) {
                int row = r * stride + column;
                for (int j = from; j < to; j++) {
                    into[j] += m[row + j];
                }
            }
        });
    }
}
