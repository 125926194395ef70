package org.bert4j.engine.kernels;

import java.util.Locale;

/**
 * Where {@link Gemm} backends come from: OpenBLAS, the kernel set's own GEMM ("java": the Vector API micro-kernel,
 * or the scalar loops), and "auto", the per-shape choice between the two.
 */
public final class Backends {
    private Backends() {}

    /** OpenBLAS {@code cblas_sgemm} on {@code pool}'s threads; a clear error if the native library cannot load here. */
    public static Gemm openBlas(Kernels kernels, ComputePool pool) {
        return new OpenBlasGemm(requirePool(pool), requireKernels(kernels));
    }

    /** The kernel set's own GEMM on {@code pool}'s threads. */
    public static Gemm java(Kernels kernels, ComputePool pool) {
        return requireKernels(kernels).gemm(requirePool(pool));
    }

    /**
     * The vector GEMM below {@code javaBelowRows} rows, OpenBLAS from there on. Falls back to one backend alone, with
     * the reason: where OpenBLAS cannot load (the Java GEMM, and a one-line notice on stderr), and for the scalar
     * kernels, whose GEMM is a reference rather than a fast path (OpenBLAS).
     */
    public static Gemm auto(Kernels kernels, ComputePool pool, int javaBelowRows) {
        requireKernels(kernels);
        requirePool(pool);
        var reason = OpenBlas.unavailableReason();
        if (reason.isPresent()) {
            System.err.println("bert4j: OpenBLAS unavailable (" + reason.get() + "), using the Java GEMM");
            return kernels.gemm(pool);
        }
        if (kernels.vectorBits() == 0) {
            return new OpenBlasGemm(pool, kernels);
        }
        return new AutoGemm(kernels.gemm(pool), new OpenBlasGemm(pool, kernels), javaBelowRows);
    }

    /** OpenBLAS's general matrix product, for training. */
    public static MatMul openBlasMatMul() {
        return new OpenBlasMatMul();
    }

    /** The backend named "openblas", "java" or "auto" (case-insensitive). */
    public static Gemm byName(String name, Kernels kernels, ComputePool pool, int autoJavaBelowRows) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case OpenBlasGemm.NAME -> openBlas(kernels, pool);
            case "java", "vector" -> java(kernels, pool);
            case AutoGemm.NAME -> auto(kernels, pool, autoJavaBelowRows);
            default -> throw new IllegalArgumentException("unknown GEMM backend \"" + name
                    + "\" (expected openblas, java or auto)");
        };
    }

    private static ComputePool requirePool(ComputePool pool) {
        if (pool == null) {
            throw new IllegalArgumentException("pool must not be null");
        }
        return pool;
    }

    private static Kernels requireKernels(Kernels kernels) {
        if (kernels == null) {
            throw new IllegalArgumentException("kernels must not be null");
        }
        return kernels;
    }
}
