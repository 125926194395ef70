package org.bert4j.engine.kernels;

/**
 * The kernels one model computes with, chosen once when it is loaded: the Vector API at one vector width
 * ({@link #vector(int)}), or plain scalar loops ({@link #scalar()}). Nothing switches them afterwards, so a model's
 * results do not depend on what the JIT has compiled so far, and a test of a kernel knows which one it tests.
 *
 * <p>A Vector API kernel becomes SIMD instructions only when its vector species is a constant to the JIT (a
 * {@code static final} field); read from an ordinary field, the same loop runs several times slower. So each width
 * has its own copy of the vector kernel classes ({@link VectorWidthLoader}), in which the species is a constant:
 * any width runs on any machine (one wider than the hardware's is emulated, slowly but with the same results), and
 * the tests run every kernel at 128, 256 and 512 bits. The scalar set needs no Vector API at all.
 *
 * <p>Implementations are stateless and thread-safe; per-model state (attention's scratch buffers) lives in the
 * objects they make, such as {@link #attention()}.
 */
public interface Kernels {

    /** "vector-256", "scalar", ... as {@link #named} accepts it. */
    String name();

    /** The vector width in bits, or 0 for the scalar set. */
    int vectorBits();

    /** Applies {@code activation} in place to {@code x[from, to)}. */
    void activate(Activation activation, float[] x, int from, int to);

    /**
     * out[r] = LayerNorm(x[r]) = (x[r] − mean) / √(var + eps) · gamma + beta for the rows [fromRow, toRow) of width
     * {@code gamma.length} (biased variance, as PyTorch's {@code nn.LayerNorm}); out may be x.
     */
    void layerNorm(float[] x, int fromRow, int toRow, float[] gamma, float[] beta, float eps, float[] out);

    /**
     * out[r] = LayerNorm(residual[r] + x[r]), BERT's "Add &amp; Norm", for the rows [fromRow, toRow); out may be
     * residual or x. The sum is rounded to float before it is normalised, as PyTorch computes it.
     */
    void addAndLayerNorm(float[] residual, float[] x, int fromRow, int toRow, float[] gamma, float[] beta, float eps,
                         float[] out);

    /** Replaces {@code x[offset, offset + length)} by softmax(scale · x); scale must be positive. */
    void softmax(float[] x, int offset, int length, float scale);

    // Training: what the backward pass needs besides the forward's kernels and the matrix products.

    /**
     * The activation's backward: grad[i] *= f'(x[i]) over [from, to), x being the activation's input as the forward
     * pass saw it (PyTorch's derivatives: ReLU's is 0 at 0).
     */
    void activationBackward(Activation activation, float[] x, float[] grad, int from, int to);

    /**
     * {@link #layerNorm} for training: the same output, and what the backward needs: each row's normalised input
     * x̂ = (x − mean)/σ into {@code xHat} (shaped like x) and 1/σ = 1/√(var + eps) into {@code rstd[row]}.
     */
    void layerNormTraining(float[] x, int fromRow, int toRow, float[] gamma, float[] beta, float eps, float[] out,
                           float[] xHat, float[] rstd);

    /**
     * LayerNorm's backward over rows [fromRow, toRow): with g = dy·γ, dx = (g − mean(g) − x̂·mean(g·x̂)) / σ, and
     * dGamma += Σ_rows dy·x̂, dBeta += Σ_rows dy. dx may be dy.
     */
    void layerNormBackward(float[] xHat, float[] rstd, float[] dy, int fromRow, int toRow, float[] gamma, float[] dx,
                           float[] dGamma, float[] dBeta);

    /** Softmax's backward over one row: dp ← p ⊙ (dp − Σ dp⊙p), p being the softmax's output. */
    void softmaxBackward(float[] p, float[] dp, int offset, int length);

    /**
     * Dropout over x[from, to) in place: x[i] becomes 0 where {@link DropoutBits#bits DropoutBits.bits(key, i)} is
     * below {@code threshold}, x[i] · keep elsewhere (keep = 1/(1 − p)). The same mask at every width and in the
     * scalar set, bit for bit.
     */
    void dropout(long key, int threshold, float keep, float[] x, int from, int to);

    /**
     * Σ x[i]² over [from, to) in double (clipping's gradient norm), in an order fixed by the range alone: the same
     * bits on every call, whatever compiled the code.
     */
    double sumOfSquares(float[] x, int from, int to);

    /** Scaled dot-product self-attention over packed sequences, with its own scratch buffers (one per model). */
    AttentionKernel attention();

    /** This set's own matrix multiply ("java"), running on {@code pool}'s threads. */
    Gemm gemm(ComputePool pool);

    /** This set's own general matrix product ("java"), for training, whose weights change at every step. */
    MatMul matMul();

    /** The Vector API kernels at the machine's preferred width. */
    static Kernels vector() {
        return VectorWidthLoader.preferred();
    }

    /** The Vector API kernels at {@code bits} = 128, 256 or 512, whatever the machine's own width. */
    static Kernels vector(int bits) {
        return VectorWidthLoader.kernels(bits);
    }

    /** Plain scalar loops: no Vector API, no compilation to wait for; the reference the vector kernels are tested against. */
    static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /**
     * The set named "vector" (the preferred width), "vector-128", "vector-256", "vector-512" or "scalar"
     * (case-insensitive); anything else is an error naming the choices.
     */
    static Kernels named(String name) {
        if (name == null) {
            throw new IllegalArgumentException("kernels must not be null (expected vector, vector-128, vector-256,"
                    + " vector-512 or scalar)");
        }
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "vector" -> vector();
            case "vector-128" -> vector(128);
            case "vector-256" -> vector(256);
            case "vector-512" -> vector(512);
            case "scalar" -> scalar();
            default -> throw new IllegalArgumentException("unknown kernels \"" + name
                    + "\" (expected vector, vector-128, vector-256, vector-512 or scalar)");
        };
    }
}
