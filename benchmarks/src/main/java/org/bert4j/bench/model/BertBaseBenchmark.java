package org.bert4j.bench.model;

import org.bert4j.bench.BenchmarkJvm;
import org.bert4j.folder.BertConfig;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.RandomCheckpoint;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A bert-base-shaped model (12 layers, hidden 768, 12 heads, FFN 3072) with random weights, batch 8 × 128:
 * milliseconds per batch. One batch is 2·1024 tokens·12 layers·(4·768² + 2·768·3072) = 174 GFLOP of projections
 * and feed-forward plus 12 layers·8 sequences·4·128²·768 = 4.8 GFLOP of attention, 179 GFLOP in all: divide by the
 * measured time for GFLOP/s and compare with the machine's FP32 peak (cores × 2 FMA units × 8 lanes × 2 × clock).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR, BenchmarkJvm.NATIVE, BenchmarkJvm.HEAP})
public class BertBaseBenchmark {

    @Param({"8x128"})
    public String shape;

    @Param({"2"})
    public int threads;

    @Param({"auto"})
    public String gemm;

    private Path dir;
    private BertModel model;
    private TokenBatch batch;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("bert-base-random");
        BertConfig base = BertConfig.of(30522, 768, 12, 12, 3072);
        RandomCheckpoint.write(dir, base, 1, 0.02, true);
        model = BertModel.load(dir, EngineOptions.defaults().withThreads(threads).withGemm(gemm));
        model.warmUp(BenchmarkJvm.WARM_UP);
        int[] s = Shapes.parse(shape);
        batch = Shapes.batch(Shapes.fixed(s[0], s[1], base.vocabSize(), 7));
    }

    @Benchmark
    public float[][] bert4j() {
        return MeanPooled.of(model, batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        model.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
