package org.bert4j.engine.kernels;

import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;

/**
 * A Linear layer's weight matrix W [out × in] prepared once, at load, for one {@link Gemm} backend.
 *
 * <p>It holds the row-major matrix as given (for OpenBLAS and the scalar reference: a memory-mapped segment
 * stays mapped, nothing is copied), the Java kernel's {@link Panels panels}, or both (for the auto backend, which
 * packs the panels only when the Java kernel first needs them: a model that only ever runs large batches, or a
 * command that embeds one text and exits, never pays for them). Or, for int8 weights ({@link #int8}), one byte per
 * element in the backend's layout and one scale per output channel. Safe to share between threads: the panels are
 * packed at most once, under the weight's lock, and published through a volatile field.
 */
public final class PackedWeight {
    private final int out;
    private final int in;
    private final String backend;
    private final MemorySegment rowMajor;
    private final Supplier<float[]> packPanels;
    private volatile float[] panels;
    private final byte[] int8;
    private final String int8Layout;
    private final float[] scales;
    /** Where packing the panels on first use is recorded; null until {@link #reportPackingTo} is called. */
    private volatile Repacking repacking;

    /** A weight a backend reads as stored, row-major (OpenBLAS, the scalar GEMM): a mapped segment stays mapped. */
    public static PackedWeight rowMajor(int out, int in, String backend, MemorySegment rowMajor) {
        return new PackedWeight(out, in, backend, rowMajor, null, null, null, null, null);
    }

    /** A weight packed into a vector GEMM's {@code panels} (whose layout only that backend knows). */
    public static PackedWeight panels(int out, int in, String backend, float[] panels) {
        return new PackedWeight(out, in, backend, null, panels, null, null, null, null);
    }

    /**
     * An int8 weight: {@code values} in the backend's {@code layout} (row-major, or panels only that backend knows)
     * and {@code scales}, one per output channel (the backend may pad them to its panel width); the backend
     * multiplies by W' = fl(q · scale) in FP32.
     */
    public static PackedWeight int8(int out, int in, String backend, String layout, byte[] values, float[] scales) {
        return new PackedWeight(out, in, backend, null, null, null, values, layout, scales);
    }

    /** A weight whose panels {@code packPanels} makes on first use. */
    static PackedWeight panelsOnFirstUse(int out, int in, String backend, MemorySegment rowMajor,
                                         Supplier<float[]> packPanels) {
        return new PackedWeight(out, in, backend, rowMajor, null, packPanels, null, null, null);
    }

    private PackedWeight(int out, int in, String backend, MemorySegment rowMajor, float[] panels,
                         Supplier<float[]> packPanels, byte[] int8, String int8Layout, float[] scales) {
        this.out = out;
        this.in = in;
        this.backend = backend;
        this.rowMajor = rowMajor;
        this.panels = panels;
        this.packPanels = packPanels;
        this.int8 = int8;
        this.int8Layout = int8Layout;
        this.scales = scales;
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

    /**
     * Bytes held on the Java heap or off it for this weight, not counting a memory-mapped original (nor panels
     * not packed yet).
     */
    public long ownedBytes() {
        float[] p = panels;
        long bytes = p == null ? 0 : 4L * p.length;
        if (rowMajor != null && !rowMajor.isMapped()) {
            bytes += rowMajor.byteSize();
        }
        if (int8 != null) {
            bytes += int8.length + 4L * scales.length;
        }
        return bytes;
    }

    /** Whether this weight is held in int8 ({@link #int8(String)} and {@link #scales(String)}). */
    public boolean isInt8() {
        return int8 != null;
    }

    /** The int8 values, which must be in {@code layout} (the name the packing backend gave its layout). */
    public byte[] int8(String layout) {
        if (int8 == null) {
            throw new IllegalArgumentException("w holds FP32 weights for the " + backend + " backend, not int8 ("
                    + layout + ")");
        }
        if (!int8Layout.equals(layout)) {
            throw new IllegalArgumentException("w holds " + int8Layout + " (packed for the " + backend
                    + " backend), not " + layout);
        }
        return int8;
    }

    /** The int8 values' scales, one per output channel (padded as the layout {@code layout} pads them). */
    public float[] scales(String layout) {
        int8(layout);
        return scales;
    }

    /** The row-major weight, for a backend that reads it as stored. */
    public MemorySegment rowMajor(String user) {
        if (rowMajor == null) {
            throw new IllegalArgumentException("w was packed for the " + backend + " backend, not for " + user);
        }
        return rowMajor;
    }

    /** The panels of a vector GEMM, packed now if this weight packs them on first use. */
    public float[] panels(String user) {
        float[] p = panels;
        if (p != null) {
            return p;
        }
        if (packPanels == null) {
            throw new IllegalArgumentException("w was packed for the " + backend + " backend, not for " + user);
        }
        synchronized (this) {
            if (panels == null) {
                long start = System.nanoTime();
                float[] packed = packPanels.get();
                Repacking ledger = repacking;
                if (ledger != null) {
                    ledger.add(4L * packed.length, System.nanoTime() - start);
                }
                panels = packed;
            }
            return panels;
        }
    }

    /**
     * Panels this weight packs on first use from now on are recorded in {@code ledger} (the bytes held so far are
     * the caller's to record: {@link #ownedBytes}).
     */
    void reportPackingTo(Repacking ledger) {
        this.repacking = ledger;
    }

    boolean hasPanels() {
        return panels != null;
    }

    boolean hasRowMajor() {
        return rowMajor != null;
    }

    @Override
    public String toString() {
        return "PackedWeight[" + out + " × " + in + ", " + backend + (int8 != null ? ", int8" : "") + "]";
    }
}
