package org.bert4j.engine;

import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Kernels;

/**
 * How a {@link BertModel} computes, fixed when it is loaded: threads, kernels and GEMM backend, and the two tuning
 * constants of the compute threads. Start from {@link #defaults()} and change what you need with the
 * {@code with...} methods.
 *
 * @param threads           the compute threads; 0 means one per available processor
 * @param gemm              the matrix-multiply backend: "auto" (per shape: the kernels' own GEMM for few rows,
 *                          OpenBLAS for many), "openblas" or "java" (the kernels' own); null means the system
 *                          property {@code bert4j.gemm}, else "auto"
 * @param kernels           the kernel set ({@link Kernels#named}): "vector" (the Vector API at the machine's width),
 *                          "vector-128", "vector-256", "vector-512", or "scalar" (plain loops: no compilation to
 *                          wait for, the fastest start for a few texts); null means the system property
 *                          {@code bert4j.kernels}, else "vector"
 * @param autoJavaBelowRows below this many rows "auto" multiplies with the kernels' own GEMM, from there on with
 *                          OpenBLAS (docs/performance.md has the measurements behind the default, 384)
 * @param spinMicros        how long an idle compute thread spins before it parks, in microseconds (default 5000)
 * @param placeHelpers      whether a compute helper that wakes on the CPU of the thread it helps moves off it
 *                          (Linux; default true)
 */
public record EngineOptions(int threads, String gemm, String kernels, int autoJavaBelowRows, int spinMicros,
                            boolean placeHelpers) {

    /** The default of {@link #autoJavaBelowRows()}. */
    public static final int DEFAULT_AUTO_JAVA_BELOW_ROWS = 384;

    /** Checks the numbers. */
    public EngineOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = one per processor), got " + threads);
        }
        if (autoJavaBelowRows < 0) {
            throw new IllegalArgumentException("autoJavaBelowRows must be >= 0, got " + autoJavaBelowRows);
        }
        if (spinMicros < 0 || spinMicros > 1_000_000) {
            throw new IllegalArgumentException("spinMicros must be in [0, 1000000], got " + spinMicros);
        }
    }

    /** One thread per processor, the vector kernels, the "auto" backend (unless the system properties say otherwise). */
    public static EngineOptions defaults() {
        return new EngineOptions(0, null, null, DEFAULT_AUTO_JAVA_BELOW_ROWS,
                (int) (ComputePool.DEFAULT_SPIN_NANOS / 1000), true);
    }

    /** A copy with another thread count (0 = one per processor). */
    public EngineOptions withThreads(int threads) {
        return new EngineOptions(threads, gemm, kernels, autoJavaBelowRows, spinMicros, placeHelpers);
    }

    /** A copy with another GEMM backend ("auto", "openblas", "java"). */
    public EngineOptions withGemm(String gemm) {
        return new EngineOptions(threads, gemm, kernels, autoJavaBelowRows, spinMicros, placeHelpers);
    }

    /** A copy with another kernel set ("vector", "vector-128", "vector-256", "vector-512", "scalar"). */
    public EngineOptions withKernels(String kernels) {
        return new EngineOptions(threads, gemm, kernels, autoJavaBelowRows, spinMicros, placeHelpers);
    }

    /** A copy where "auto" uses the kernels' own GEMM below {@code rows} rows. */
    public EngineOptions withAutoJavaBelowRows(int rows) {
        return new EngineOptions(threads, gemm, kernels, rows, spinMicros, placeHelpers);
    }

    /** A copy whose idle compute threads spin {@code micros} before parking. */
    public EngineOptions withSpinMicros(int micros) {
        return new EngineOptions(threads, gemm, kernels, autoJavaBelowRows, micros, placeHelpers);
    }

    /** A copy whose helpers do (or do not) move off the CPU of the thread they help. */
    public EngineOptions withPlaceHelpers(boolean place) {
        return new EngineOptions(threads, gemm, kernels, autoJavaBelowRows, spinMicros, place);
    }

    /** The thread count to use: {@link #threads()}, or the number of processors when it is 0. */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** The backend name to use: {@link #gemm()}, else the system property {@code bert4j.gemm}, else "auto". */
    public String effectiveGemm() {
        return gemm != null ? gemm : System.getProperty("bert4j.gemm", "auto");
    }

    /** The kernel set to use: {@link #kernels()}, else the system property {@code bert4j.kernels}, else "vector". */
    public String effectiveKernels() {
        return kernels != null ? kernels : System.getProperty("bert4j.kernels", "vector");
    }
}
