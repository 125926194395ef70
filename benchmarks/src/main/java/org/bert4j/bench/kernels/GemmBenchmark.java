package org.bert4j.bench.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bert4j.bench.BenchmarkJvm;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.kernels.Backends;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Gemm;
import org.bert4j.engine.kernels.PackedWeight;
import org.bert4j.folder.Int8Weight;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Linear-layer GEMMs of BERT, y[tokens × out] = x[tokens × in] · Wᵀ + b, for each backend: MiniLM's
 * 384 → 1152 (fused QKV), 384 → 1536 and 1536 → 384 (feed-forward), and bert-base's 768 → 2304, 768 → 3072,
 * 3072 → 768. The {@code gflop} counter gives GFLOP/s; the Java/OpenBLAS ratio is the two backends' ratio.
 * "java-int8" is the Java GEMM on the same weight in int8 (one scale per output channel, widened to FP32 inside
 * the GEMM): a quarter of the bytes to stream, a widening pass per block of panels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR, BenchmarkJvm.NATIVE, BenchmarkJvm.HEAP})
public class GemmBenchmark {

    /** "in×out". */
    @Param({"384x1152", "384x1536", "1536x384", "768x2304", "768x3072", "3072x768"})
    public String shape;

    @Param({"16", "512", "4096"})
    public int tokens;

    @Param({"java", "openblas", "java-int8"})
    public String backend;

    /** The kernel set whose GEMM "java" is: "vector" (the machine's width), "vector-256", ... */
    @Param({"vector"})
    public String kernelSet;

    /** 0: one thread per available processor. */
    @Param({"0"})
    public int threads;

    private ComputePool pool;
    private Gemm gemm;
    private PackedWeight weight;
    private float[] x;
    private float[] bias;
    private float[] y;
    private double gflopPerCall;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x");
        int in = Integer.parseInt(parts[0]);
        int out = Integer.parseInt(parts[1]);
        pool = ComputePool.create(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
        boolean int8 = backend.equals("java-int8");
        gemm = Backends.byName(int8 ? "java" : backend, Kernels.named(kernelSet), pool,
                EngineOptions.DEFAULT_AUTO_JAVA_BELOW_ROWS);
        SplittableRandom random = new SplittableRandom(42);
        float[] w = randoms(random, out * in);
        if (int8) {
            Int8Weight q = Int8Weight.quantize(w, out, in);
            weight = gemm.packInt8(q.values(), q.scales(), out, in);
        } else {
            weight = gemm.pack(w, out, in);
        }
        x = randoms(random, tokens * in);
        bias = randoms(random, out);
        y = new float[tokens * out];
        gflopPerCall = 2.0 * tokens * in * out / 1e9;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] linear(Flops flops) {
        gemm.linear(x, tokens, weight, bias, y);
        flops.gflop += gflopPerCall;
        return y;
    }

    static float[] randoms(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }
}
