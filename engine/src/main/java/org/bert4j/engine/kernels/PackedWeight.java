package org.bert4j.engine.kernels;

import java.lang.foreign.MemorySegment;

/**
 * A Linear layer's weight matrix W [out × in] prepared once, at load, for one {@link Gemm} backend.
 *
 * <p>It holds the row-major matrix as given (for OpenBLAS and the scalar reference: a memory-mapped segment
 * stays mapped, nothing is copied), the Java kernel's {@link Panels panels}, or both (for the auto backend).
 * Immutable once built, so one instance is safely shared by every thread.
 */
public final class PackedWeight {
    private final int out;
    private final int in;
    private final String backend;
    private final MemorySegment rowMajor;
    private final float[] panels;

    PackedWeight(int out, int in, String backend, MemorySegment rowMajor, float[] panels) {
        this.out = out;
        this.in = in;
        this.backend = backend;
        this.rowMajor = rowMajor;
        this.panels = panels;
    }

    /** Output features: the rows of W and the columns of the result. */
    public int out() {
        return out;
    }

    /** Input features: the columns of W and of the activations multiplied by it. */
    public int in() {
        return in;
    }

    /** The name of the backend this weight was packed for. */
    public String backend() {
        return backend;
    }

    /** Bytes held on the Java heap or off it for this weight, not counting a memory-mapped original. */
    public long ownedBytes() {
        long bytes = panels == null ? 0 : 4L * panels.length;
        if (rowMajor != null && !rowMajor.isMapped()) {
            bytes += rowMajor.byteSize();
        }
        return bytes;
    }

    MemorySegment rowMajor(String user) {
        if (rowMajor == null) {
            throw new IllegalArgumentException("w was packed for the " + backend + " backend, not for " + user);
        }
        return rowMajor;
    }

    float[] panels(String user) {
        if (panels == null) {
            throw new IllegalArgumentException("w was packed for the " + backend + " backend, not for " + user);
        }
        return panels;
    }

    boolean hasPanels() {
        return panels != null;
    }

    boolean hasRowMajor() {
        return rowMajor != null;
    }

    @Override
    public String toString() {
        return "PackedWeight[" + out + " × " + in + ", " + backend + "]";
    }
}
