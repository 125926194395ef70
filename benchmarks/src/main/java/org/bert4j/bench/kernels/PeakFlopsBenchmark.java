package org.bert4j.bench.kernels;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.bert4j.bench.BenchmarkJvm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's FP32 peak as the Vector API can reach it: ten independent chains of fused multiply-adds, enough
 * to keep every FMA pipe busy despite each FMA's latency (4 cycles × 2 pipes on Zen 3 needs at least 8 chains).
 * Run with {@code -t 1} for one core and {@code -t <cores>} for the machine; the {@code gflop} counter is the peak
 * the other benchmarks' GFLOP/s are fractions of. Divided by (FMA pipes × lanes × 2) it gives the clock.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR, BenchmarkJvm.NATIVE, BenchmarkJvm.HEAP})
public class PeakFlopsBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int STEPS = 100_000;

    public float multiplier = 0.999999f;
    public float addend = 1e-7f;

    @Benchmark
    public float fmaChains(Flops flops) {
        FloatVector b = FloatVector.broadcast(S, multiplier);
        FloatVector c = FloatVector.broadcast(S, addend);
        FloatVector a0 = FloatVector.broadcast(S, 1f);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector a8 = a0;
        FloatVector a9 = a0;
        for (int i = 0; i < STEPS; i++) {
            a0 = a0.fma(b, c);
            a1 = a1.fma(b, c);
            a2 = a2.fma(b, c);
            a3 = a3.fma(b, c);
            a4 = a4.fma(b, c);
            a5 = a5.fma(b, c);
            a6 = a6.fma(b, c);
            a7 = a7.fma(b, c);
            a8 = a8.fma(b, c);
            a9 = a9.fma(b, c);
        }
        flops.gflop += 10.0 * STEPS * S.length() * 2 / 1e9;
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).reduceLanes(
                jdk.incubator.vector.VectorOperators.ADD);
    }
}
