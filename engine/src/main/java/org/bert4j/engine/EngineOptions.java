package org.bert4j.engine;

/**
 * How a {@link BertModel} computes: how many threads and which GEMM backend.
 *
 * @param threads the compute threads; 0 means one per available processor
 * @param gemm    the matrix-multiply backend: "auto" (per shape, whichever is faster), "openblas" or "java";
 *                null means the system property {@code bert4j.gemm}, else "auto"
 */
public record EngineOptions(int threads, String gemm) {

    /** Checks the thread count. */
    public EngineOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = one per processor), got " + threads);
        }
    }

    /** One thread per processor, the backend from {@code bert4j.gemm} or "auto". */
    public static EngineOptions defaults() {
        return new EngineOptions(0, null);
    }

    /** A copy with another thread count. */
    public EngineOptions withThreads(int threads) {
        return new EngineOptions(threads, gemm);
    }

    /** A copy with another GEMM backend ("auto", "openblas", "java"). */
    public EngineOptions withGemm(String gemm) {
        return new EngineOptions(threads, gemm);
    }

    /** The thread count to use: {@link #threads()}, or the number of processors when it is 0. */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** The backend name to use: {@link #gemm()}, else the system property {@code bert4j.gemm}, else "auto". */
    public String effectiveGemm() {
        return gemm != null ? gemm : System.getProperty("bert4j.gemm", "auto");
    }
}
