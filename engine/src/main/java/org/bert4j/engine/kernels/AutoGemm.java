package org.bert4j.engine.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The per-shape backend: the vector kernels' GEMM on weights packed once for few rows, where OpenBLAS's repacking of
 * W on every call costs more than the multiplication itself, and OpenBLAS for many rows.
 *
 * <p>A weight packed here carries both forms: the original (memory-mapped when it came from a file) and the vector
 * GEMM's panels, packed on the first call that needs them: a model that only ever runs large batches never pays for
 * them. Where the line lies depends on the machine (its vector width, OpenBLAS's kernels for the CPU): it is an
 * option, {@code EngineOptions.autoJavaBelowRows}, whose default and the measurements behind it are in
 * docs/performance.md.
 */
final class AutoGemm implements Gemm {
    static final String NAME = "auto";

    private final Gemm java;
    private final Gemm openBlas;
    private final int javaBelowRows;

    /** Calls with fewer than {@code javaBelowRows} rows go to {@code java}, the others to {@code openBlas}. */
    AutoGemm(Gemm java, Gemm openBlas, int javaBelowRows) {
        this.java = java;
        this.openBlas = openBlas;
        this.javaBelowRows = javaBelowRows;
    }

    @Override
    public PackedWeight pack(MemorySegment weightOutIn, int out, int in) {
        LinearArgs.checkPack(weightOutIn, out, in);
        return PackedWeight.panelsOnFirstUse(out, in, NAME, weightOutIn,
                () -> java.pack(weightOutIn, out, in).panels(NAME));
    }

    @Override
    public PackedWeight pack(float[] weightOutIn, int out, int in) {
        LinearArgs.checkPack(weightOutIn, out, in);
        return PackedWeight.panelsOnFirstUse(out, in, NAME, MemorySegment.ofArray(weightOutIn),
                () -> java.pack(weightOutIn, out, in).panels(NAME));
    }

    @Override
    public void linear(float[] x, int rows, PackedWeight w, float[] bias, Activation activation, float[] y) {
        LinearArgs.check(x, rows, w, bias, y);
        if (rows < javaBelowRows) {
            java.linear(x, rows, PackedWeight.panels(w.out(), w.in(), java.name(), w.panels(NAME)), bias,
                    activation, y);
        } else {
            openBlas.linear(x, rows, PackedWeight.rowMajor(w.out(), w.in(), openBlas.name(), w.rowMajor(NAME)), bias,
                    activation, y);
        }
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
        return "AutoGemm[" + java + " below " + javaBelowRows + " rows, else " + openBlas + "]";
    }
}
