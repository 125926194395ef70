package org.bert4j.engine.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.RandomCheckpoint;
import org.bert4j.folder.BertConfig;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;
import org.bert4j.tokenizer.Truncation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@link OnnxParityTest} leaves out: text pairs, whose second text has token type 1 (the token-type table's second
 * row, which single texts never read), against onnxruntime on the same ONNX files; and the pooler output.
 *
 * <p>None of the bundled ONNX graphs exposes a pooler output (their only output is {@code last_hidden_state}, and the
 * converted folders have no {@code pooler.dense}), so the pooler is checked here against a hand computation:
 * tanh(W·h[CLS] + b) in float64 from the checkpoint's own weights and the engine's h[CLS], for every sequence of a
 * packed batch, on a random checkpoint that has a pooler; and against onnxruntime in {@link PoolerOnnxParityTest}, on a
 * tiny model exported from torch with a pooler output.
 */
class PairsAndPoolerParityTest {
    /** As OnnxParityTest: float32 through 6-12 layers against onnxruntime's own float32 order. */
    private static final double MAX_ABS_DIFF = 1e-4;

    private static final List<String[]> PAIRS = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void pairs() throws Exception {
        List<String> texts = ParityCorpus.texts();
        // Question/answer-like pairs of every size: short with short, short with long, long with long (cut at 512).
        for (int i = 0; i + 1 < texts.size() && PAIRS.size() < 24; i += 8) {
            PAIRS.add(new String[] {texts.get(i), texts.get(texts.size() - 1 - i)});
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "all-MiniLM-L6-v2, /all-minilm-l6-v2.onnx",
            "bge-small-en-v1.5, /bge-small-en-v1.5.onnx",
            "e5-small-v2, /e5-small-v2.onnx"})
    void textPairsMatchOnnxruntimeOnEveryToken(String name, String onnx) throws Exception {
        Path folder = BundledModels.ensure(name);
        BertTokenizer tokenizer = BertTokenizer.load(folder);
        EncodeOptions options = EncodeOptions.defaults().withMaxLength(512).withTruncation(Truncation.LONGEST_FIRST);
        List<Encoding> encodings = new ArrayList<>();
        for (String[] pair : PAIRS) {
            encodings.add(tokenizer.encodePair(pair[0], pair[1], options));
        }
        TokenBatch batch = TokenBatch.of(encodings);
        int secondSegmentTokens = 0;
        for (int type : batch.typeIds()) {
            secondSegmentTokens += type;
        }
        assertTrue(secondSegmentTokens > 500, "the pairs put " + secondSegmentTokens + " tokens in segment 1");
        assertEquals(512, batch.maxLength(), "some pair is cut at 512");

        double maxDiff = 0;
        double typeZeroDiff = 0;
        try (OnnxOracle ort = new OnnxOracle(onnx);
                BertModel model = BertModel.load(folder, EngineOptions.defaults())) {
            BertModelOutput ours = model.forward(batch);   // all pairs packed into one batch
            for (int s = 0; s < batch.size(); s++) {
                TokenBatch one = batch.slice(s, s + 1);
                float[][] oracle = ort.lastHiddenState(one.ids(), one.typeIds());
                for (int t = 0; t < oracle.length; t++) {
                    maxDiff = Math.max(maxDiff, OnnxParityTest.maxAbs(ours.tokenVector(s, t), oracle[t]));
                }
                if (s < 3) {
                    // Negative control: the same ids with every type 0 are far from the oracle, so types are read.
                    float[][] typeZero = ort.lastHiddenState(one.ids(), new int[one.ids().length]);
                    for (int t = 0; t < oracle.length; t++) {
                        typeZeroDiff = Math.max(typeZeroDiff, OnnxParityTest.maxAbs(typeZero[t], oracle[t]));
                    }
                }
            }
        }
        System.out.printf("pair parity %-18s %d pairs, %d tokens of type 1: max|Δh| %.3g (types all 0 instead: %.3g)%n",
                name, PAIRS.size(), secondSegmentTokens, maxDiff, typeZeroDiff);
        assertTrue(maxDiff <= MAX_ABS_DIFF, name + ": pairs' last hidden state differs from onnxruntime by " + maxDiff);
        assertTrue(typeZeroDiff > 100 * MAX_ABS_DIFF, name + ": token type 1 changes little (" + typeZeroDiff
                + "): the control cannot tell a model that ignores types");
    }

    @Test
    void thePoolerIsTanhOfTheDenseLayerOnEachSequencesClsToken() throws Exception {
        BertConfig config = BertConfig.of(200, 64, 2, 4, 128);
        Path folder = RandomCheckpoint.write(dir.resolve("pooled"), config, 5, 0.08, true);
        int h = config.hiddenSize();
        int[][] ids = new int[5][];
        for (int s = 0; s < ids.length; s++) {
            ids[s] = new int[3 + 11 * s];
            for (int t = 0; t < ids[s].length; t++) {
                ids[s][t] = (7 + 13 * s + 31 * t) % config.vocabSize();
            }
        }
        TokenBatch batch = TokenBatch.of(ids, null);
        double[] weight;
        double[] bias;
        try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            weight = doubles(file.readFloats("pooler.dense.weight"));
            bias = doubles(file.readFloats("pooler.dense.bias"));
        }
        double worst = 0;
        try (BertModel model = BertModel.load(folder, EngineOptions.defaults())) {
            assertTrue(model.hasPooler());
            BertModelOutput out = model.forward(batch);
            for (int s = 0; s < ids.length; s++) {
                float[] cls = out.tokenVector(s, 0);
                float[] pooled = out.poolerVector(s);
                boolean differsFromFirstSequence = false;
                for (int j = 0; j < h; j++) {
                    double sum = bias[j];
                    double magnitude = Math.abs(bias[j]);
                    for (int i = 0; i < h; i++) {
                        sum += weight[j * h + i] * cls[i];
                        magnitude += Math.abs(weight[j * h + i] * cls[i]);
                    }
                    double expected = Math.tanh(sum);
                    // float32 sums of h products: |error| <= h * 2^-24 * sum|w*x| (tanh' <= 1), plus tanh's ulps.
                    double bound = h * 0x1p-24 * magnitude + 1e-6;
                    double diff = Math.abs(pooled[j] - expected);
                    worst = Math.max(worst, diff / bound);
                    assertTrue(diff <= bound, "sequence " + s + ", unit " + j + ": " + pooled[j] + " vs " + expected
                            + " (bound " + bound + ")");
                    differsFromFirstSequence |= s > 0 && pooled[j] != out.poolerVector(0)[j];
                }
                assertTrue(s == 0 || differsFromFirstSequence, "sequence " + s + " is pooled from its own [CLS]");
            }
        }
        System.out.printf("pooler: worst error %.2f of its bound over %d packed sequences%n", worst, ids.length);
        assertFalse(Double.isNaN(worst));
    }

    private static double[] doubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
