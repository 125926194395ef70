package org.bert4j.engine.kernels;

import jdk.incubator.vector.FloatVector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
        return auto(kernels, pool, javaBelowRows, List.of(), null);
    }

    /** Where a shape without a timing draws the line in a measured choice: docs/performance.md's earlier default. */
    static final int UNMEASURED_JAVA_BELOW_ROWS = 384;

    /**
     * "auto" for a model whose weights have the shapes {@code shapes} ({out, in} each): with {@code javaBelowRows}
     * ≥ 0 the line is fixed there for every shape; with {@code EngineOptions.MEASURED} (−1) each shape's line is
     * drawn from timings of both backends on it, read from {@code cacheDir} ({@link BackendChoiceCache}) or
     * measured now ({@link BackendTiming}) and saved there. The same fallbacks as {@link #auto(Kernels,
     * ComputePool, int)}.
     */
    public static Gemm auto(Kernels kernels, ComputePool pool, int javaBelowRows, List<int[]> shapes, Path cacheDir) {
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
        Gemm java = kernels.gemm(pool);
        OpenBlasGemm openBlas = new OpenBlasGemm(pool, kernels);
        BackendChoice choice;
        if (javaBelowRows >= 0) {
            choice = BackendChoice.fixed(javaBelowRows);
        } else if (shapes.isEmpty()) {
            choice = BackendChoice.measured(List.of(), UNMEASURED_JAVA_BELOW_ROWS, "no shapes given to measure");
        } else if (kernels.vectorBits() > FloatVector.SPECIES_PREFERRED.vectorBitSize()) {
            // Vectors wider than the CPU's are emulated, a correctness check rather than a speed: timing them would
            // take minutes and say nothing about this machine.
            choice = BackendChoice.measured(List.of(), UNMEASURED_JAVA_BELOW_ROWS, "not measured: "
                    + kernels.vectorBits() + "-bit vectors are emulated on this CPU");
        } else {
            choice = measured(kernels, pool, java, openBlas, shapes, cacheDir);
        }
        return new AutoGemm(java, openBlas, choice);
    }

    /** The timings of {@code shapes}: those cached under this machine's key, the others measured now and cached. */
    private static BackendChoice measured(Kernels kernels, ComputePool pool, Gemm java, Gemm openBlas,
                                          List<int[]> shapes, Path cacheDir) {
        BackendChoiceCache.Key key = BackendChoiceCache.Key.current(kernels, pool.threads());
        Path file = cacheDir == null ? null : BackendChoiceCache.file(cacheDir, key);
        List<BackendChoice.Timing> known = file == null ? List.of() : BackendChoiceCache.read(file, key);
        Set<String> have = new HashSet<>();
        known.forEach(t -> have.add(t.shape()));
        Map<String, int[]> missing = new LinkedHashMap<>();
        for (int[] s : shapes) {
            String shape = BackendChoice.key(s[0], s[1]);
            if (!have.contains(shape)) {
                missing.put(shape, s);
            }
        }
        List<BackendChoice.Timing> all = new ArrayList<>(known);
        String source;
        if (missing.isEmpty()) {
            source = "cached in " + file;
        } else {
            List<int[]> toMeasure = List.copyOf(missing.values());
            long start = System.nanoTime();
            all.addAll(BackendTiming.measure(toMeasure, BackendChoice.ROWS,
                    BackendTiming.running(java, openBlas, toMeasure)));
            String took = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9);
            boolean saved = file != null && BackendChoiceCache.write(file, key, all);
            source = "at load (" + took + ")" + (saved ? ", cached in " + file
                    : file == null ? "" : "; could not write the cache " + file);
        }
        source += "; OpenBLAS " + key.openBlas() + ", OPENBLAS_CORETYPE " + key.coreType();
        return BackendChoice.measured(all, UNMEASURED_JAVA_BELOW_ROWS, source);
    }

    /** Which backend each shape uses under {@code gemm}, and why: one line per shape. */
    public static String describe(Gemm gemm) {
        if (gemm instanceof AutoGemm auto) {
            return auto.choice().describe();
        }
        return gemm.name() + " at every size";
    }

    /** OpenBLAS's general matrix product, for training. */
    public static MatMul openBlasMatMul() {
        return new OpenBlasMatMul();
    }

    /** The backend named "openblas", "java" or "auto" (case-insensitive). */
    public static Gemm byName(String name, Kernels kernels, ComputePool pool, int autoJavaBelowRows) {
        return byName(name, kernels, pool, autoJavaBelowRows, List.of(), null);
    }

    /** The backend named "openblas", "java" or "auto", "auto" measured on {@code shapes} as {@link #auto} says. */
    public static Gemm byName(String name, Kernels kernels, ComputePool pool, int autoJavaBelowRows,
                              List<int[]> shapes, Path cacheDir) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case OpenBlasGemm.NAME -> openBlas(kernels, pool);
            case "java", "vector" -> java(kernels, pool);
            case AutoGemm.NAME -> auto(kernels, pool, autoJavaBelowRows, shapes, cacheDir);
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
