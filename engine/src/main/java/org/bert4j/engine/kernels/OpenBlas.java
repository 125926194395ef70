package org.bert4j.engine.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The OpenBLAS library shipped by org.bytedeco:openblas, called through java.lang.foreign.
 *
 * <p>JavaCPP only extracts and loads the library; the calls go straight to {@code cblas_sgemm} as a
 * <em>critical</em> downcall, which may pass Java heap arrays ({@code MemorySegment.ofArray}) and memory-mapped
 * weights to native code without copying them (JavaCPP's own float[] overloads copy each array through JNI on
 * every call). OpenBLAS is set to one thread: the engine's parallelism comes from its {@link ComputePool}, so
 * the two never oversubscribe the cores.
 */
final class OpenBlas {
    private OpenBlas() {}

    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    /** Loaded on first use; a failure is kept and reported, never retried. */
    private static final class Library {
        static final MethodHandle SGEMM;
        static final String CONFIG;
        static final Throwable FAILURE;

        static {
            MethodHandle sgemm = null;
            String config = null;
            Throwable failure = null;
            try {
                SymbolLookup lookup = lookup();
                Linker linker = Linker.nativeLinker();
                ValueLayout.OfInt i = ValueLayout.JAVA_INT;
                ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
                ValueLayout a = ValueLayout.ADDRESS;
                sgemm = linker.downcallHandle(find(lookup, "cblas_sgemm"),
                        FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, a, i, a, i, f, a, i),
                        Linker.Option.critical(true));
                MethodHandle setThreads = linker.downcallHandle(find(lookup, "openblas_set_num_threads"),
                        FunctionDescriptor.ofVoid(i));
                setThreads.invokeExact(1);
                MethodHandle getConfig = linker.downcallHandle(find(lookup, "openblas_get_config"),
                        FunctionDescriptor.of(a));
                config = ((MemorySegment) getConfig.invokeExact()).reinterpret(256).getString(0);
            } catch (Throwable t) {
                failure = t;
                sgemm = null;
            }
            SGEMM = sgemm;
            CONFIG = config;
            FAILURE = failure;
        }

        private static SymbolLookup lookup() {
            Optional<Path> extracted = ExtractedOpenBlas.find();
            if (extracted.isPresent()) {
                return SymbolLookup.libraryLookup(extracted.get(), Arena.global());
            }
            String jniLibrary = org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas.class);
            // Symbols of libraries JavaCPP loaded through our class loader are visible here...
            SymbolLookup loaded = SymbolLookup.loaderLookup();
            if (loaded.find("cblas_sgemm").isPresent()) {
                return loaded;
            }
            // ...otherwise open the libopenblas that JavaCPP extracted next to its JNI library (already loaded,
            // so this only takes another reference to it).
            Path openblas = Path.of(jniLibrary).resolveSibling("libopenblas.so.0");
            if (!Files.exists(openblas)) {
                throw new IllegalStateException("libopenblas.so.0 not found next to " + jniLibrary);
            }
            return SymbolLookup.libraryLookup(openblas, Arena.global());
        }

        private static MemorySegment find(SymbolLookup lookup, String name) {
            Optional<MemorySegment> symbol = lookup.find(name);
            return symbol.orElseThrow(() -> new IllegalStateException("OpenBLAS has no symbol " + name));
        }
    }

    /** Why OpenBLAS cannot be used here, or empty when it can. */
    static Optional<String> unavailableReason() {
        Throwable failure = Library.FAILURE;
        return failure == null ? Optional.empty() : Optional.of(failure.getClass().getSimpleName() + ": "
                + failure.getMessage());
    }

    /** Throws a clear error when the library did not load. */
    static void require() {
        unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException("the OpenBLAS GEMM backend is unavailable on this machine ("
                    + reason + "); use the \"java\" or \"auto\" backend", Library.FAILURE);
        });
    }

    /** OpenBLAS's build description, e.g. "OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64". */
    static String config() {
        require();
        return Library.CONFIG;
    }

    /**
     * C[m × n] = A[m × k] · op(B) + beta · C, all row-major with leading dimensions lda, ldb, ldc: op(B) is
     * B[n × k]ᵀ when {@code transB} (a Linear layer's y = x · Wᵀ with W stored [out × in]), else B[k × n].
     */
    static void sgemm(boolean transB, int m, int n, int k, MemorySegment a, int lda, MemorySegment b, int ldb,
                      float beta, MemorySegment c, int ldc) {
        sgemm(false, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
    }

    /** C[m × n] = op(A) · op(B) + beta · C: op(A) is A[k × m]ᵀ when {@code transA}, else A[m × k]. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda, MemorySegment b,
                      int ldb, float beta, MemorySegment c, int ldc) {
        require();
        try {
            Library.SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1f, a,
                    lda, b, ldb, beta, c, ldc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }
}
