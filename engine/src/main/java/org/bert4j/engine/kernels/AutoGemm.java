package org.bert4j.engine.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The per-shape backend: the vector kernels' GEMM on weights packed once where it is the faster (few rows, where
 * OpenBLAS's repacking of W on every call costs more than the multiplication itself; and, on many machines, every
 * size), OpenBLAS where it is. Where the line lies depends on the machine (its vector width, the kernels OpenBLAS
 * picks for the CPU, or those {@code OPENBLAS_CORETYPE} forces): a {@link BackendChoice}, measured per machine and
 * weight shape ({@link BackendTiming}) or fixed by {@code EngineOptions.autoJavaBelowRows}.
 *
 * <p>A weight packed here carries both forms: the original (memory-mapped when it came from a file) and the vector
 * GEMM's panels, packed on the first call that needs them: a model that only ever runs large batches on OpenBLAS
 * never pays for them. Int8 weights stay in the vector GEMM's int8 panels; a call past the line widens them for
 * OpenBLAS (which multiplies FP32 only), so a large batch is no slower than with FP32 weights.
 */
final class AutoGemm implements Gemm {
    static final String NAME = "auto";

    private final Gemm java;
    private final Gemm openBlas;
    private final BackendChoice choice;

    /** Each call goes to {@code java} or {@code openBlas} as {@code choice} says for its shape and rows. */
    AutoGemm(Gemm java, Gemm openBlas, BackendChoice choice) {
        this.java = java;
        this.openBlas = openBlas;
        this.choice = choice;
    }

    /** The line between the backends, per shape. */
    BackendChoice choice() {
        return choice;
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

    /** Int8 weights are held by the Java GEMM, in int8; OpenBLAS gets them widened, call by call. */
    @Override
    public PackedWeight packInt8(byte[] valuesOutIn, float[] scales, int out, int in) {
        return java.packInt8(valuesOutIn, scales, out, in);
    }

    @Override
    public void linear(float[] x, int rows, PackedWeight w, float[] bias, Activation activation, float[] y) {
        LinearArgs.check(x, rows, w, bias, y);
        if (w.isInt8()) {
            if (choice.useJava(w.out(), w.in(), rows)) {
                java.linear(x, rows, w, bias, activation, y);
            } else {
                // A transient FP32 copy: past the line the product costs far more than widening the weight.
                openBlas.linear(x, rows, PackedWeight.rowMajor(w.out(), w.in(), openBlas.name(),
                        MemorySegment.ofArray(java.widenInt8(w))), bias, activation, y);
            }
        } else if (choice.useJava(w.out(), w.in(), rows)) {
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
        return "AutoGemm[" + java + " or " + openBlas + ", " + choice + "]";
    }
}
