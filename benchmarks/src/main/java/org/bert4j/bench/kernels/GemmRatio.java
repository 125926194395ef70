package org.bert4j.bench.kernels;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bert4j.engine.kernels.Backends;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Gemm;
import org.bert4j.engine.kernels.PackedWeight;

/**
 * The Java GEMM against OpenBLAS on the BERT shapes, measured so that a busy shared machine hurts both alike:
 * the two backends take turns call by call, and each keeps its best time (the run least disturbed by other
 * processes). Prints a Markdown table of GFLOP/s and the Java/OpenBLAS ratio.
 *
 * <p>Usage: {@code GemmRatio [tokens,...] [seconds per shape] [threads]}, e.g. {@code GemmRatio 16,512,4096 2 2}.
 */
public final class GemmRatio {
    private GemmRatio() {}

    private static final int[][] SHAPES = {{384, 1152}, {384, 1536}, {1536, 384}, {768, 2304}, {768, 3072}, {3072, 768}};

    public static void main(String[] args) {
        int[] tokens = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {16, 512, 4096};
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        try (ComputePool pool = ComputePool.create(threads)) {
            Gemm java = Kernels.vector().gemm(pool);
            Gemm openBlas = Backends.openBlas(Kernels.vector(), pool);
            System.out.printf("| tokens | in × out | Java GFLOP/s | OpenBLAS GFLOP/s | Java / OpenBLAS |%n");
            System.out.printf("|---:|---|---:|---:|---:|%n");
            for (int t : tokens) {
                for (int[] shape : SHAPES) {
                    int in = shape[0];
                    int out = shape[1];
                    SplittableRandom random = new SplittableRandom(7);
                    float[] w = GemmBenchmark.randoms(random, out * in);
                    float[] x = GemmBenchmark.randoms(random, t * in);
                    float[] bias = GemmBenchmark.randoms(random, out);
                    float[] y = new float[t * out];
                    Gemm[] gemms = {java, openBlas};
                    PackedWeight[] weights = {java.pack(w, out, in), openBlas.pack(w, out, in)};
                    long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
                    long end = System.nanoTime() + (long) (seconds * 1e9);
                    for (int round = 0; round < 3 || System.nanoTime() < end; round++) {
                        for (int g = 0; g < 2; g++) {
                            long start = System.nanoTime();
                            gemms[g].linear(x, t, weights[g], bias, y);
                            best[g] = Math.min(best[g], System.nanoTime() - start);
                        }
                    }
                    double flop = 2.0 * t * in * out;
                    double javaRate = flop / best[0];
                    double blasRate = flop / best[1];
                    System.out.printf("| %d | %d × %d | %.1f | %.1f | %.2f |%n", t, in, out, javaRate, blasRate,
                            javaRate / blasRate);
                }
            }
        }
    }
}
