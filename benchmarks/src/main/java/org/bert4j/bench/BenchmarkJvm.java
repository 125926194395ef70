package org.bert4j.bench;

/**
 * The JVM flags every forked benchmark JVM needs; use as {@code @Fork(jvmArgsAppend = ...)}.
 */
public final class BenchmarkJvm {
    private BenchmarkJvm() {}

    /** Vector API, native access for OpenBLAS, and no usage tracking by the DJL tokenizer peer. */
    public static final String VECTOR = "--add-modules=jdk.incubator.vector";
    public static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    public static final String HEAP = "-Xmx6g";

    /**
     * Waits until the engine's vector kernels are compiled, so a benchmark measures them and not the scalar loops a
     * fresh JVM starts on (see the engine's {@code ColdStart}); call it from every {@code @Setup} that uses the
     * engine.
     */
    public static void awaitCompiledKernels() {
        try {
            if (!org.bert4j.engine.kernels.WarmUp.awaitCompiled(java.time.Duration.ofSeconds(60))) {
                throw new IllegalStateException("the engine's kernels were not compiled within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
