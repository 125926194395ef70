package org.bert4j.engine;

import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Kernels;

/**
 * How a {@link BertModel} computes, fixed when it is loaded: threads, kernels, GEMM backend, weight precision, and
 * the two tuning constants of the compute threads. Start from {@link #defaults()} and change what you need with the
 * {@code with...} methods.
 *
 * @param threads           the compute threads; 0 means one per available processor
 * @param gemm              the matrix-multiply backend: "auto" (per shape, whichever of the kernels' own GEMM and
 *                          OpenBLAS is faster on this machine), "openblas" or "java" (the kernels' own); null means
 *                          the system property {@code bert4j.gemm}, else "auto"
 * @param kernels           the kernel set ({@link Kernels#named}): "vector" (the Vector API at the machine's width),
 *                          "vector-128", "vector-256", "vector-512", or "scalar" (plain loops: no compilation to
 *                          wait for, the fastest start for a few texts); null means the system property
 *                          {@code bert4j.kernels}, else "vector"
 * @param autoJavaBelowRows {@link #MEASURED} (the default): "auto" times the model's GEMM shapes on both backends once
 *                          per machine and picks per shape and row count (docs/performance.md); a number ≥ 0 instead
 *                          fixes the line: below that many rows the kernels' own GEMM, from there on OpenBLAS
 * @param spinMicros        how long an idle compute thread spins before it parks, in microseconds (default 5000)
 * @param placeHelpers      whether a compute helper that wakes on the CPU of the thread it helps moves off it
 *                          (Linux; default true)
 * @param quantize          the precision of the encoder's Linear weights: "int8" (one byte per weight and a scale per
 *                          output channel, quantized at load if the folder stores floats; FP32 arithmetic), "none"
 *                          (FP32; an int8 folder's weights are widened at load), or null: the system property
 *                          {@code bert4j.quantize}, else as the folder stores them
 */
public record EngineOptions(int threads, String gemm, String kernels, int autoJavaBelowRows, int spinMicros,
                            boolean placeHelpers, String quantize) {

    /** {@link #autoJavaBelowRows()}'s default: the line between the backends is measured, per machine and shape. */
    public static final int MEASURED = -1;

    /** The default of {@link #autoJavaBelowRows()}. */
    public static final int DEFAULT_AUTO_JAVA_BELOW_ROWS = MEASURED;

    /** The values {@link #quantize()} may take (besides null). */
    public static final java.util.List<String> QUANTIZE_CHOICES = java.util.List.of("none", "int8");

    /** Checks the numbers and names. */
    public EngineOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = one per processor), got " + threads);
        }
        if (autoJavaBelowRows < MEASURED) {
            throw new IllegalArgumentException("autoJavaBelowRows must be >= 0, or EngineOptions.MEASURED (-1), got "
                    + autoJavaBelowRows);
        }
        if (quantize != null && !QUANTIZE_CHOICES.contains(quantize.trim().toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("unknown quantize \"" + quantize + "\" (expected none or int8)");
        }
        if (spinMicros < 0 || spinMicros > 1_000_000) {
            throw new IllegalArgumentException("spinMicros must be in [0, 1000000], got " + spinMicros);
        }
    }

    /** One thread per processor, the vector kernels, the "auto" backend (unless the system properties say otherwise). */
    public static EngineOptions defaults() {
        return new EngineOptions(0, null, null, DEFAULT_AUTO_JAVA_BELOW_ROWS,
                (int) (ComputePool.DEFAULT_SPIN_NANOS / 1000), true, null);
    }

    /** A copy with another thread count (0 = one per processor). */
    public EngineOptions withThreads(int threads) {
        return new EngineOptions(threads, gemm, kernels, autoJavaBelowRows, spinMicros, placeHelpers, quantize);
    }

    /** A copy with another GEMM backend ("auto", "openblas", "java"). */
    public EngineOptions withGemm(String gemm) {
        return new EngineOptions(threads, gemm, kernels, autoJavaBelowRows, spinMicros, placeHelpers, quantize);
    }

    /** A copy with another kernel set ("vector", "vector-128", "vector-256", "vector-512", "scalar"). */
    public EngineOptions withKernels(String kernels) {
        return new EngineOptions(threads, gemm, kernels, autoJavaBelowRows, spinMicros, placeHelpers, quantize);
    }

    /** A copy whose encoder weights are "int8", "none" (FP32) or null (as the folder stores them). */
    public EngineOptions withQuantize(String quantize) {
        return new EngineOptions(threads, gemm, kernels, autoJavaBelowRows, spinMicros, placeHelpers, quantize);
    }

    /**
     * A copy where "auto" uses the kernels' own GEMM below {@code rows} rows and OpenBLAS from there on, instead of
     * measuring ({@link #MEASURED} measures again).
     */
    public EngineOptions withAutoJavaBelowRows(int rows) {
        return new EngineOptions(threads, gemm, kernels, rows, spinMicros, placeHelpers, quantize);
    }

    /** A copy whose idle compute threads spin {@code micros} before parking. */
    public EngineOptions withSpinMicros(int micros) {
        return new EngineOptions(threads, gemm, kernels, autoJavaBelowRows, micros, placeHelpers, quantize);
    }

    /** A copy whose helpers do (or do not) move off the CPU of the thread they help. */
    public EngineOptions withPlaceHelpers(boolean place) {
        return new EngineOptions(threads, gemm, kernels, autoJavaBelowRows, spinMicros, place, quantize);
    }

    /** The thread count to use: {@link #threads()}, or the number of processors when it is 0. */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** The backend name to use: {@link #gemm()}, else the system property {@code bert4j.gemm}, else "auto". */
    public String effectiveGemm() {
        return gemm != null ? gemm : System.getProperty("bert4j.gemm", "auto");
    }

    /**
     * The weight precision asked for: {@link #quantize()}, else the system property {@code bert4j.quantize}, else null
     * (as the folder stores them).
     */
    public String effectiveQuantize() {
        String q = quantize != null ? quantize : System.getProperty("bert4j.quantize");
        return q == null ? null : q.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** The kernel set to use: {@link #kernels()}, else the system property {@code bert4j.kernels}, else "vector". */
    public String effectiveKernels() {
        return kernels != null ? kernels : System.getProperty("bert4j.kernels", "vector");
    }
}
