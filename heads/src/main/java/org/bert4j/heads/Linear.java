package org.bert4j.heads;

import org.bert4j.training.Parameter;
import org.bert4j.heads.train.Trainable;

import java.util.List;
import java.util.Random;

/**
 * A fully connected layer y = x·Wᵀ + b, PyTorch's {@code nn.Linear} with its weight stored [out, in], with the
 * backward pass that training needs.
 *
 * <p>Heads are small (hidden × labels), so both passes accumulate in double: the logits are then exact enough
 * for finite-difference gradient checks, and the cost is nothing next to the backbone's.
 */
public final class Linear implements Trainable {

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    /** A layer named {@code name} ({@code name.weight}, {@code name.bias}) with all-zero weights. */
    public Linear(String name, int in, int out) {
        this(name, in, out, new float[out * in], new float[out]);
    }

    /** A layer over the given weights ([out × in], row-major) and bias ([out]); the arrays are used, not copied. */
    public Linear(String name, int in, int out, float[] weight, float[] bias) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(name + ": widths must be positive, got in=" + in + " out=" + out);
        }
        this.in = in;
        this.out = out;
        this.weight = new Parameter(name + ".weight", new int[] {out, in}, weight, true);
        this.bias = new Parameter(name + ".bias", new int[] {out}, bias, false);
    }

    /**
     * Hugging Face's {@code _init_weights} for a Linear: weights from N(0, std²) (std = the config's
     * {@code initializer_range}, 0.02 for BERT), bias zero.
     */
    public void initialize(Random random, double std) {
        float[] w = weight.value();
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * std);
        }
        java.util.Arrays.fill(bias.value(), 0f);
    }

    /** The input width. */
    public int in() {
        return in;
    }

    /** The output width. */
    public int out() {
        return out;
    }

    /** The weight tensor [out, in]. */
    public Parameter weight() {
        return weight;
    }

    /** The bias tensor [out]. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /** y[rows × out] = x[rows × in] · Wᵀ + b. */
    public void forward(float[] x, int rows, double[] y) {
        checkInput(x, rows);
        float[] w = weight.value();
        float[] b = bias.value();
        for (int r = 0; r < rows; r++) {
            int xRow = r * in;
            for (int o = 0; o < out; o++) {
                int wRow = o * in;
                double sum = b[o];
                for (int i = 0; i < in; i++) {
                    sum += (double) x[xRow + i] * w[wRow + i];
                }
                y[r * out + o] = sum;
            }
        }
    }

    /**
     * Given dL/dy for the rows of {@code x}, adds dL/dW = dyᵀ·x and dL/db = Σ dy to the parameters' gradients
     * and, when {@code dx} is not null, adds dL/dx = dy·W to it (what a trainable backbone below would consume).
     */
    public void backward(float[] x, int rows, double[] dy, double[] dx) {
        checkInput(x, rows);
        float[] w = weight.value();
        float[] dw = weight.gradForBackward();
        float[] db = bias.gradForBackward();
        for (int r = 0; r < rows; r++) {
            int xRow = r * in;
            for (int o = 0; o < out; o++) {
                double g = dy[r * out + o];
                if (g == 0) {
                    continue; // an ignored token: nothing flows back
                }
                db[o] += g;
                int wRow = o * in;
                for (int i = 0; i < in; i++) {
                    dw[wRow + i] += g * x[xRow + i];
                }
                if (dx != null) {
                    for (int i = 0; i < in; i++) {
                        dx[xRow + i] += g * w[wRow + i];
                    }
                }
            }
        }
    }

    private void checkInput(float[] x, int rows) {
        if (x.length < rows * in) {
            throw new IllegalArgumentException(weight.name() + ": input holds " + x.length + " values, need " + rows
                    + " rows of " + in);
        }
    }
}
