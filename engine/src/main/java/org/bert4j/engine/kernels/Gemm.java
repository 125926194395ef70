package org.bert4j.engine.kernels;

import java.lang.foreign.MemorySegment;

/**
 * A matrix-multiplication backend for Linear layers: y = x · Wᵀ + bias, with W [out × in] prepared once at load by
 * {@link #pack} and activations as plain row-major float arrays.
 *
 * <p>Implementations are thread-safe: one backend and one {@link PackedWeight} may serve any number of threads.
 * Obtain one from {@link Backends}.
 */
public interface Gemm {

    /**
     * Prepares W [out × in] given as raw little-endian F32 bytes (e.g. a memory-mapped safetensors tensor). The
     * OpenBLAS backend keeps the segment itself (it must stay open as long as the weight is used); the vector
     * backend copies it into its panel layout.
     */
    PackedWeight pack(MemorySegment weightOutIn, int out, int in);

    /**
     * Prepares W [out × in] given row-major. The OpenBLAS backend keeps the array itself, which must not be
     * modified afterwards; the vector backend copies it into its panel layout.
     */
    PackedWeight pack(float[] weightOutIn, int out, int in);

    /**
     * Prepares an int8 weight W [out × in] ≈ q · scale ({@code valuesOutIn} row-major, one scale per row): the
     * backend keeps it in int8 (a quarter of the bytes of FP32) and multiplies by W' = fl(q · scale) in FP32 — each
     * q widened inside the GEMM, activations never quantized. A backend that multiplies FP32 only (OpenBLAS) throws
     * an IllegalArgumentException saying so.
     */
    PackedWeight packInt8(byte[] valuesOutIn, float[] scales, int out, int in);

    /**
     * An int8 weight this backend packed, widened to the values it multiplies by, W' = fl(q · scale), row-major
     * [out × in]: for a backend that multiplies FP32 only to take a large call ({@code auto} hands such calls to
     * OpenBLAS, where widening a weight costs a few percent of the product).
     */
    default float[] widenInt8(PackedWeight w) {
        throw new UnsupportedOperationException("the " + name() + " backend holds no int8 weights of its own");
    }

    /**
     * y = activation(x · Wᵀ + bias), where bias (length out) and activation may be null. x and y are read and
     * written from index 0 and may be longer than needed; y must not overlap x. Backends that can apply the
     * activation while the output tile is still in cache do so (the feed-forward's first half).
     */
    void linear(float[] x, int rows, PackedWeight w, float[] bias, Activation activation, float[] y);

    /** y = x · Wᵀ + bias. */
    default void linear(float[] x, int rows, PackedWeight w, float[] bias, float[] y) {
        linear(x, rows, w, bias, null, y);
    }

    /** The backend's name: "openblas", "java" or "auto". */
    String name();

    /** Whether the backend calls OpenBLAS. */
    default boolean callsOpenBlas() {
        return false;
    }
}
