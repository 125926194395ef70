package org.bert4j.engine.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The per-shape backend: OpenBLAS for many rows, the Java kernel on weights packed once for few rows, where
 * OpenBLAS's repacking of W on every call costs more than the multiplication itself.
 *
 * <p>A weight packed here carries both forms: the original (memory-mapped when it came from a file) and the
 * Java panels, packed on the first call that needs them. In a fresh JVM every call goes to OpenBLAS until the
 * Java kernel is compiled ({@link WarmUp}, started after the first few forwards by {@link ColdStart}): a command
 * that embeds one text and exits never packs the 42.5 MB of panels.
 */
final class AutoGemm implements Gemm {
    static final String NAME = "auto";

    private final ComputePool pool;
    private final int javaBelowRows;

    /** Calls with fewer than {@code javaBelowRows} rows go to the Java kernel. */
    AutoGemm(ComputePool pool, int javaBelowRows) {
        OpenBlas.require();
        this.pool = pool;
        this.javaBelowRows = javaBelowRows;
    }

    @Override
    public PackedWeight pack(MemorySegment weightOutIn, int out, int in) {
        LinearArgs.checkPack(weightOutIn, out, in);
        return PackedWeight.panelsOnFirstUse(out, in, NAME, weightOutIn, () -> Panels.packTransposed(weightOutIn, out, in));
    }

    @Override
    public PackedWeight pack(float[] weightOutIn, int out, int in) {
        LinearArgs.checkPack(weightOutIn, out, in);
        return PackedWeight.panelsOnFirstUse(out, in, NAME, MemorySegment.ofArray(weightOutIn),
                () -> VectorGemm.packPanels(weightOutIn, out, in));
    }

    @Override
    public void linear(float[] x, int rows, PackedWeight w, float[] bias, float[] y) {
        linear(x, rows, w, bias, null, y);
    }

    @Override
    public void linear(float[] x, int rows, PackedWeight w, float[] bias, Activation activation, float[] y) {
        LinearArgs.check(x, rows, w, bias, y);
        if (useJava(rows, w)) {
            VectorGemm.multiply(x, rows, w.panels(NAME), w.out(), w.in(), bias, activation, y, pool);
        } else {
            OpenBlasGemm.multiply(x, rows, w.rowMajor(NAME), w.out(), w.in(), bias, activation, y, pool);
        }
    }

    boolean useJava(int rows, PackedWeight w) {
        // Until the JIT has compiled the Java kernel, OpenBLAS is the faster one for every shape.
        return rows < javaBelowRows && WarmUp.done();
    }

    @Override
    public boolean callsOpenBlas() {
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return "AutoGemm[java below " + javaBelowRows + " rows, " + pool + "]";
    }
}
