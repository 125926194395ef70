package org.bert4j.bench.report;

import java.util.Map;

/**
 * One GEMM shape measured on the pure-Java (Vector API) backend and on OpenBLAS.
 *
 * @param params   the shared parameters (shape "in×out", tokens, threads)
 * @param java     the Java backend's result
 * @param openBlas OpenBLAS's result
 */
public record GemmRow(Map<String, String> params, JmhResult java, JmhResult openBlas) {

    /** GFLOP/s of the Java kernel (its {@code gflop} counter). */
    public double javaGflops() {
        return gflops(java);
    }

    /** GFLOP/s of OpenBLAS. */
    public double openBlasGflops() {
        return gflops(openBlas);
    }

    /** Java over OpenBLAS: above 1, the Java kernel is faster on this shape. */
    public double ratio() {
        return java.primary().perSecond() / openBlas.primary().perSecond();
    }

    /** A result's {@code gflop} counter as GFLOP/s, NaN when it has none. */
    static double gflops(JmhResult r) {
        return r.metric("gflop").map(Metric::perSecond).orElse(Double.NaN);
    }
}
