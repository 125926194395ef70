package org.bert4j.bench.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.bert4j.bench.BenchmarkJvm;
import org.bert4j.engine.kernels.ComputePool;
import org.bert4j.engine.kernels.Gemm;
import org.bert4j.engine.kernels.Kernels;
import org.bert4j.engine.kernels.PackedWeight;
import org.bert4j.folder.Int8Weight;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whether integer arithmetic could beat bert4j's FP32 GEMM on the JVM: multiply-adds per second, on one core, of
 * every integer route the Vector API and C2 offer, beside the FP32 routes. Each method's score is multiply-adds per
 * second (JMH's operations are multiply-adds: {@link OperationsPerInvocation}).
 *
 * <p>onnxruntime's int8 speed comes from VNNI's {@code vpdpbusd}: 64 int8 multiply-adds per instruction, four times
 * an FP32 FMA's 16. The Vector API has no dot-product operation: its integer routes widen and multiply lane by lane
 * (int8 → int32 and {@code vpmulld}, or int8 → int16, {@code vpmullw}, then int16 → int32 to add). C2's only
 * pairwise multiply-add is the {@code MulAddS2I} idiom, {@code out[i] += a[2i]·b[2i] + a[2i+1]·b[2i+1]} over
 * shorts, which it turns into {@code vpmaddwd} (and {@code vpdpwssd} with AVX-512 VNNI): 32 int16 multiply-adds per
 * 512-bit instruction, as many as an FP32 FMA, with int16 operands. The dot-product routes read both operands from
 * L1 (4096 elements), the GEMM routes are the engine's own kernels on a 64 × 384 × 384 product.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR, BenchmarkJvm.NATIVE, BenchmarkJvm.HEAP})
public class IntegerProbeBenchmark {

    static final int N = 4096;
    static final int ROWS = 64;
    static final int IN = 384;
    static final int OUT = 384;
    static final int GEMM_MACS = ROWS * IN * OUT;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
    /** As many bytes as the int lanes: one ByteVector widens to one IntVector. */
    private static final VectorSpecies<Byte> B_FOR_I =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, I.length() * 8)));
    /** As many bytes as the short lanes: one ByteVector widens to one ShortVector. */
    private static final VectorSpecies<Byte> B_FOR_S =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(S.length() * 8));

    private float[] fa;
    private float[] fb;
    private byte[] ba;
    private byte[] bb;
    private short[] sa;
    private short[] sb;
    private int[] out;
    private short[] pairs;

    private ComputePool pool;
    private Gemm gemm;
    private PackedWeight fp32;
    private PackedWeight int8;
    private float[] x;
    private float[] y;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        fa = new float[N];
        fb = new float[N];
        ba = new byte[N];
        bb = new byte[N];
        sa = new short[N];
        sb = new short[N];
        for (int i = 0; i < N; i++) {
            fa[i] = (float) random.nextGaussian();
            fb[i] = (float) random.nextGaussian();
            ba[i] = (byte) random.nextInt(-127, 128);
            bb[i] = (byte) random.nextInt(-127, 128);
            sa[i] = ba[i];
            sb[i] = bb[i];
        }
        out = new int[N / 2];
        pairs = new short[N];
        pool = ComputePool.create(1);
        gemm = Kernels.vector().gemm(pool);
        float[] w = new float[OUT * IN];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        fp32 = gemm.pack(w, OUT, IN);
        Int8Weight q = Int8Weight.quantize(w, OUT, IN);
        int8 = gemm.packInt8(q.values(), q.scales(), OUT, IN);
        x = new float[ROWS * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        y = new float[ROWS * OUT];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** bert4j's FP32 GEMM (register-tiled micro-kernel, one thread): the route to beat. */
    @Benchmark
    @OperationsPerInvocation(GEMM_MACS)
    public float[] gemmFp32() {
        gemm.linear(x, ROWS, fp32, null, y);
        return y;
    }

    /** bert4j's int8-weight GEMM: int8 widened to FP32 block by block, then the same FP32 micro-kernel. */
    @Benchmark
    @OperationsPerInvocation(GEMM_MACS)
    public float[] gemmInt8WeightsWidened() {
        gemm.linear(x, ROWS, int8, null, y);
        return y;
    }

    /** FP32 dot product, four accumulators: loads two vectors per FMA (the load-bound form of the dot routes). */
    @Benchmark
    @OperationsPerInvocation(N)
    public float dotFp32Fma() {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F);
        int l = F.length();
        for (int i = 0; i < N; i += 4 * l) {
            s0 = FloatVector.fromArray(F, fa, i).fma(FloatVector.fromArray(F, fb, i), s0);
            s1 = FloatVector.fromArray(F, fa, i + l).fma(FloatVector.fromArray(F, fb, i + l), s1);
            s2 = FloatVector.fromArray(F, fa, i + 2 * l).fma(FloatVector.fromArray(F, fb, i + 2 * l), s2);
            s3 = FloatVector.fromArray(F, fa, i + 3 * l).fma(FloatVector.fromArray(F, fb, i + 3 * l), s3);
        }
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }

    /** Vector API: int8 widened to int32 ({@code vpmovsxbd}), multiplied and added in int32 ({@code vpmulld}). */
    @Benchmark
    @OperationsPerInvocation(N)
    public int dotVectorApiInt8ToInt32() {
        IntVector s0 = IntVector.zero(I);
        IntVector s1 = IntVector.zero(I);
        int l = I.length();
        for (int i = 0; i < N; i += 2 * l) {
            IntVector a0 = (IntVector) ByteVector.fromArray(B_FOR_I, ba, i).convertShape(VectorOperators.B2I, I, 0);
            IntVector b0 = (IntVector) ByteVector.fromArray(B_FOR_I, bb, i).convertShape(VectorOperators.B2I, I, 0);
            IntVector a1 = (IntVector) ByteVector.fromArray(B_FOR_I, ba, i + l).convertShape(VectorOperators.B2I, I, 0);
            IntVector b1 = (IntVector) ByteVector.fromArray(B_FOR_I, bb, i + l).convertShape(VectorOperators.B2I, I, 0);
            s0 = s0.add(a0.mul(b0));
            s1 = s1.add(a1.mul(b1));
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    /**
     * Vector API: int8 widened to int16, multiplied in int16 ({@code vpmullw}: |127 · 127| fits), the products
     * widened to int32 (two halves) and added.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public int dotVectorApiInt8ToInt16() {
        IntVector s0 = IntVector.zero(I);
        IntVector s1 = IntVector.zero(I);
        int l = S.length();
        for (int i = 0; i < N; i += l) {
            ShortVector a = (ShortVector) ByteVector.fromArray(B_FOR_S, ba, i).convertShape(VectorOperators.B2S, S, 0);
            ShortVector b = (ShortVector) ByteVector.fromArray(B_FOR_S, bb, i).convertShape(VectorOperators.B2S, S, 0);
            ShortVector p = a.mul(b);
            s0 = s0.add((IntVector) p.convertShape(VectorOperators.S2I, I, 0));
            s1 = s1.add((IntVector) p.convertShape(VectorOperators.S2I, I, 1));
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    /** Vector API: int16 operands (stored widened), {@code vpmullw}, products widened to int32 and added. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int dotVectorApiInt16() {
        IntVector s0 = IntVector.zero(I);
        IntVector s1 = IntVector.zero(I);
        int l = S.length();
        for (int i = 0; i < N; i += l) {
            ShortVector p = ShortVector.fromArray(S, sa, i).mul(ShortVector.fromArray(S, sb, i));
            s0 = s0.add((IntVector) p.convertShape(VectorOperators.S2I, I, 0));
            s1 = s1.add((IntVector) p.convertShape(VectorOperators.S2I, I, 1));
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    /** C2 on a plain int8 dot product, {@code s += a[i] * b[i]} over bytes: the reduction C2 may leave scalar. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int dotC2PlainInt8() {
        int s = 0;
        for (int i = 0; i < N; i++) {
            s += ba[i] * bb[i];
        }
        return s;
    }

    /** C2's {@code MulAddS2I} idiom as a reduction: {@code s += a[2i]·b[2i] + a[2i+1]·b[2i+1]} over shorts. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int dotC2MulAddS2IReduction() {
        int s = 0;
        for (int i = 0; i < N / 2; i++) {
            s += sa[2 * i] * sb[2 * i] + sa[2 * i + 1] * sb[2 * i + 1];
        }
        return s;
    }

    /**
     * C2's {@code MulAddS2I} idiom in the loop shape it vectorises ({@code vpmaddwd}, or {@code vpdpwssd} with VNNI):
     * {@code out[i] += a[2i]·b[2i] + a[2i+1]·b[2i+1]}, an int array updated from short pairs. For a GEMM, out is a
     * row of C, b a k-pair of two weight rows interleaved, and a the activation pair replicated along the row.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public int[] arrayC2MulAddS2I() {
        for (int i = 0; i < N / 2; i++) {
            out[i] += sa[2 * i] * sb[2 * i] + sa[2 * i + 1] * sb[2 * i + 1];
        }
        return out;
    }

    /**
     * The same idiom as one step of a GEMM row: the activation pair (a0, a1) replicated into an array first (the
     * idiom needs both operands loaded from arrays), then the update: the replication's cost counted.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public int[] gemmRowC2MulAddS2IWithReplication() {
        short a0 = sa[0];
        short a1 = sa[1];
        for (int i = 0; i < N / 2; i++) {
            pairs[2 * i] = a0;
            pairs[2 * i + 1] = a1;
        }
        for (int i = 0; i < N / 2; i++) {
            out[i] += pairs[2 * i] * sb[2 * i] + pairs[2 * i + 1] * sb[2 * i + 1];
        }
        return out;
    }
}
