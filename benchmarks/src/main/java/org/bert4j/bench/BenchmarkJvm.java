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
     * How long a model benchmark lets {@code BertModel.warmUp} run before it measures: the JIT compiles the kernels
     * in a second or two; a busy machine takes longer.
     */
    public static final java.time.Duration WARM_UP = java.time.Duration.ofSeconds(30);
}
