package org.bert4j.bench.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bert4j.bench.BenchmarkJvm;
import org.bert4j.engine.kernels.AttentionKernel;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.engine.kernels.ComputePool;
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
 * One layer's self-attention over a packed batch of equal-length sequences (MiniLM: 12 heads × 32; bert-base:
 * 12 heads × 64), on the pool. FLOPs: 4 · tokens² · hidden per sequence (Q·Kᵀ and P·V); the softmax's
 * exponentials are not counted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR, BenchmarkJvm.NATIVE, BenchmarkJvm.HEAP})
public class AttentionBenchmark {

    /** sequences × tokens. */
    @Param({"1x128", "8x128", "1x512", "4x512"})
    public String batch;

    /** heads × head dimension. */
    @Param({"12x32", "12x64"})
    public String heads;

    private ComputePool pool;
    private AttentionKernel attention;

    /** The kernel set: "vector" (the machine\'s width), "vector-256", "scalar", ... */
    @Param({"vector"})
    public String kernelSet;
    private float[] qkv;
    private float[] context;
    private int[] starts;
    private int[] lengths;
    private int headCount;
    private int headDim;
    private double gflopPerCall;

    @Setup(Level.Trial)
    public void setUp() {
        String[] b = batch.split("x");
        int sequences = Integer.parseInt(b[0]);
        int tokens = Integer.parseInt(b[1]);
        String[] h = heads.split("x");
        headCount = Integer.parseInt(h[0]);
        headDim = Integer.parseInt(h[1]);
        int hidden = headCount * headDim;
        starts = new int[sequences];
        lengths = new int[sequences];
        for (int s = 0; s < sequences; s++) {
            starts[s] = s * tokens;
            lengths[s] = tokens;
        }
        qkv = GemmBenchmark.randoms(new SplittableRandom(3), sequences * tokens * 3 * hidden);
        context = new float[sequences * tokens * hidden];
        pool = ComputePool.create(Runtime.getRuntime().availableProcessors());
        attention = Kernels.named(kernelSet).attention();
        gflopPerCall = 4.0 * sequences * tokens * tokens * hidden / 1e9;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] selfAttention(Flops flops) {
        attention.apply(qkv, starts, lengths, headCount, headDim, context, pool);
        flops.gflop += gflopPerCall;
        return context;
    }
}
