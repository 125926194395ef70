package org.bert4j.bench.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bert4j.bench.BenchmarkJvm;
import org.bert4j.engine.kernels.Activation;
import org.bert4j.engine.kernels.Kernels;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory-bound kernels on one thread, in nanoseconds per element: residual add + LayerNorm over
 * [512 × 384] hidden states, exact and tanh GELU over a [512 × 1536] intermediate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR, BenchmarkJvm.NATIVE, BenchmarkJvm.HEAP})
public class ElementwiseBenchmark {

    @Param({"512"})
    public int tokens;

    @Param({"384"})
    public int hidden;

    /** The kernel set: "vector" (the machine's width), "vector-256", "scalar", ... */
    @Param({"vector"})
    public String kernelSet;

    private Kernels kernels;

    private float[] residual;
    private float[] x;
    private float[] out;
    private float[] gamma;
    private float[] beta;
    private float[] intermediate;
    private float[] source;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = Kernels.named(kernelSet);
        SplittableRandom random = new SplittableRandom(5);
        residual = GemmBenchmark.randoms(random, tokens * hidden);
        x = GemmBenchmark.randoms(random, tokens * hidden);
        out = new float[tokens * hidden];
        gamma = GemmBenchmark.randoms(random, hidden);
        beta = GemmBenchmark.randoms(random, hidden);
        source = GemmBenchmark.randoms(random, tokens * hidden * 4);
        for (int i = 0; i < source.length; i++) {
            source[i] *= 4;
        }
        intermediate = source.clone();
    }

    @Benchmark
    public float[] addAndLayerNorm() {
        kernels.addAndLayerNorm(residual, x, 0, tokens, gamma, beta, 1e-12f, out);
        return out;
    }

    /** Includes refreshing the input (an arraycopy), which {@link #copyOnly} measures alone. */
    @Benchmark
    public float[] gelu() {
        System.arraycopy(source, 0, intermediate, 0, source.length);
        kernels.activate(Activation.GELU, intermediate, 0, intermediate.length);
        return intermediate;
    }

    @Benchmark
    public float[] geluTanh() {
        System.arraycopy(source, 0, intermediate, 0, source.length);
        kernels.activate(Activation.GELU_TANH, intermediate, 0, intermediate.length);
        return intermediate;
    }

    @Benchmark
    public float[] copyOnly() {
        System.arraycopy(source, 0, intermediate, 0, source.length);
        return intermediate;
    }
}
