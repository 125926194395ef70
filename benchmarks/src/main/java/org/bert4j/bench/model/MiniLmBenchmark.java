package org.bert4j.bench.model;

import ai.onnxruntime.OrtException;
import org.bert4j.bench.BenchmarkJvm;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.TokenBatch;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * all-MiniLM-L6-v2 forward + mean pooling, bert4j against onnxruntime 1.22.0 (fp32, intra-op threads = ours) on
 * the same ONNX file, in the same JVM: milliseconds per batch. Shapes: 1×16 (latency), 32×128 and 8×512
 * (throughput: sentences/s = batch size × 1000 / ms), and "seed": the 20 seed CSV texts, mixed lengths (onnxruntime
 * pads them to the longest, bert4j packs them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR, BenchmarkJvm.NATIVE, BenchmarkJvm.HEAP})
public class MiniLmBenchmark {

    @Param({"1x16", "32x128", "8x512", "seed"})
    public String shape;

    @Param({"2"})
    public int threads;

    @Param({"auto"})
    public String gemm;

    private BertModel model;
    private OrtPeer ort;
    private TokenBatch batch;
    private OrtPeer.Inputs ortInputs;

    @Setup(Level.Trial)
    public void setUp() throws IOException, OrtException {
        Path dir = BundledModels.defaultModel();
        model = BertModel.load(dir, EngineOptions.defaults().withThreads(threads).withGemm(gemm));
        model.warmUp(BenchmarkJvm.WARM_UP);
        ort = new OrtPeer("/all-minilm-l6-v2.onnx", threads);
        int[][] ids;
        if (shape.equals("seed")) {
            BertTokenizer tokenizer = model.tokenizer();
            List<String> texts = SeedTexts.load();
            List<Encoding> encodings = new ArrayList<>();
            for (String text : texts) {
                encodings.add(tokenizer.encode(text, EncodeOptions.defaults()));
            }
            TokenBatch packed = TokenBatch.of(encodings);
            ids = new int[packed.size()][];
            for (int s = 0; s < ids.length; s++) {
                ids[s] = packed.sequenceIds(s);
            }
        } else {
            int[] s = Shapes.parse(shape);
            ids = Shapes.fixed(s[0], s[1], model.config().vocabSize(), 7);
        }
        batch = Shapes.batch(ids);
        ortInputs = OrtPeer.Inputs.of(ids);
    }

    @Benchmark
    public float[][] bert4j() {
        return MeanPooled.of(model, batch);
    }

    @Benchmark
    public float[][] onnxruntime() throws OrtException {
        return ort.meanPooled(ortInputs);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        model.close();
        ort.close();
    }
}
