package org.bert4j.engine.kernels;

import java.util.Locale;

/**
 * Where {@link Gemm} backends come from: OpenBLAS, the pure-Java Vector API kernel, the per-shape "auto" choice
 * between them, and the scalar reference for tests.
 *
 * <p>The methods without a pool use {@link ComputePool#shared()}.
 */
public final class Backends {
    private Backends() {}

    /** The system property that names the backend {@link #fromSystemProperty()} picks. */
    public static final String PROPERTY = "bert4j.gemm";

    /**
     * Row count below which "auto" uses the Java kernel. Measured on this project's 2-core AVX2 machine over the
     * MiniLM and bert-base shapes: the Java kernel on prepacked weights is 1.5–2.4× faster than OpenBLAS at 16–32
     * rows, still ahead up to about 256 rows, and 10–25% behind from about 1024 rows.
     */
    static final int AUTO_JAVA_BELOW_ROWS = 384;

    /** OpenBLAS {@code cblas_sgemm}; a clear error if the native library cannot load here. */
    public static Gemm openBlas() {
        return openBlas(ComputePool.shared());
    }

    /** OpenBLAS on the given pool's threads. */
    public static Gemm openBlas(ComputePool pool) {
        return new OpenBlasGemm(requirePool(pool));
    }

    /** The pure-Java GEMM on the Vector API. */
    public static Gemm vector() {
        return vector(ComputePool.shared());
    }

    /** The pure-Java GEMM on the given pool's threads. */
    public static Gemm vector(ComputePool pool) {
        return new VectorGemm(requirePool(pool));
    }

    /**
     * Whichever backend is faster for each call's shape: the Java kernel on prepacked weights for few rows,
     * OpenBLAS for many; the Java kernel alone (with a one-line notice on stderr) where OpenBLAS cannot load.
     */
    public static Gemm auto() {
        return auto(ComputePool.shared());
    }

    /** {@link #auto()} on the given pool's threads. */
    public static Gemm auto(ComputePool pool) {
        requirePool(pool);
        var reason = OpenBlas.unavailableReason();
        if (reason.isPresent()) {
            System.err.println("bert4j: OpenBLAS unavailable (" + reason.get() + "), using the Java GEMM");
            return new VectorGemm(pool);
        }
        return new AutoGemm(pool, AUTO_JAVA_BELOW_ROWS);
    }

    /** The scalar reference (double-precision sums, single-threaded): for tests only. */
    public static Gemm scalarReference() {
        return new ScalarGemm();
    }

    /** The backend named "openblas", "java", "auto" or "scalar" (case-insensitive). */
    public static Gemm byName(String name) {
        return byName(name, ComputePool.shared());
    }

    /** {@link #byName(String)} on the given pool's threads. */
    public static Gemm byName(String name, ComputePool pool) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case OpenBlasGemm.NAME -> openBlas(pool);
            case VectorGemm.NAME, "vector" -> vector(pool);
            case AutoGemm.NAME -> auto(pool);
            case ScalarGemm.NAME -> scalarReference();
            default -> throw new IllegalArgumentException("unknown GEMM backend \"" + name
                    + "\" (expected openblas, java, auto or scalar)");
        };
    }

    /** The backend named by the system property {@value #PROPERTY}, "auto" when it is not set. */
    public static Gemm fromSystemProperty() {
        return byName(System.getProperty(PROPERTY, AutoGemm.NAME));
    }

    /** The backend named by the system property {@value #PROPERTY} ("auto" when unset), on the given pool. */
    public static Gemm fromSystemProperty(ComputePool pool) {
        return byName(System.getProperty(PROPERTY, AutoGemm.NAME), pool);
    }

    private static ComputePool requirePool(ComputePool pool) {
        if (pool == null) {
            throw new IllegalArgumentException("pool must not be null");
        }
        return pool;
    }
}
