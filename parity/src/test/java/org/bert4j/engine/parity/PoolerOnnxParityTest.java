package org.bert4j.engine.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bert4j.convert.ConvertOptions;
import org.bert4j.convert.ModelConverter;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.TokenBatch;
import org.bert4j.safetensors.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pooler output against onnxruntime: a tiny random BERT with a pooler (hidden 32, 2 layers, 4 heads, vocabulary
 * 100), built in plain torch.nn and exported by torch.onnx.export with the outputs {@code last_hidden_state} and
 * {@code pooler_output} (scripts/torch/make_pooler_onnx.py). bert4j converts that ONNX file with its own converter
 * and runs it; onnxruntime runs the same bytes. None of the bundled graphs has a pooler output, so this is the only
 * check of the pooler by an independent runtime ({@link PairsAndPoolerParityTest} checks it by hand in float64).
 */
class PoolerOnnxParityTest {

    /** float32 unit roundoff. */
    private static final double U = 0x1p-24;

    /**
     * Last hidden state: two float32 implementations of two post-LayerNorm layers, each within a few roundoffs per
     * dot product (|error| <= K u sum|w x| with K <= 64 terms, then normalised); measured worst 1.9e-6 on values of
     * magnitude up to ~4. 1e-5 is five times that and still a hundred times below what any real mistake moves
     * (a wrong token type, position or mask changes states by more than 1e-1: the controls below).
     */
    private static final double HIDDEN_ABS = 1e-5;

    @TempDir
    Path tmp;

    @Test
    void poolerOutputAndHiddenStatesMatchOnnxruntime() throws Exception {
        Path fixture = Path.of(PoolerOnnxParityTest.class.getResource("/torch/pooler/model.onnx").toURI()).getParent();
        Path src = Files.createDirectories(tmp.resolve("src"));
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path f : files.toList()) {
                Files.copy(f, src.resolve(f.getFileName()));
            }
        }
        List<String> warnings = new ArrayList<>();
        Path folder = ModelConverter.convert(src.resolve("model.onnx"), tmp.resolve("converted"),
                ConvertOptions.defaults().withWarnings(warnings::add));
        assertEquals(List.of(), warnings, "the exported graph converts cleanly");

        int hidden = 32;
        double[] weight;
        double[] bias;
        try (SafetensorsFile st = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            weight = doubles(st.readFloats("pooler.dense.weight"));
            bias = doubles(st.readFloats("pooler.dense.bias"));
        }

        // 12 sequences of 1..64 tokens ([CLS] ... [SEP], up to the model's 64 positions), half of them pairs with type 1.
        SplittableRandom random = new SplittableRandom(20);
        int[][] ids = new int[12][];
        int[][] types = new int[12][];
        for (int s = 0; s < ids.length; s++) {
            int n = s == 0 ? 1 : s == 1 ? 64 : 2 + random.nextInt(60);
            ids[s] = new int[n];
            types[s] = new int[n];
            for (int t = 0; t < n; t++) {
                ids[s][t] = t == 0 ? 2 : t == n - 1 ? 3 : 5 + random.nextInt(95);
                types[s][t] = s % 2 == 1 && t > n / 2 ? 1 : 0;
            }
        }
        TokenBatch batch = TokenBatch.of(ids, types);

        double hiddenDiff = 0;
        double poolerDiff = 0;
        double worstOfBound = 0;
        double poolerMagnitude = 0;
        double controlDiff = Double.POSITIVE_INFINITY;
        try (OnnxOracle onnx = new OnnxOracle(src.resolve("model.onnx"));
                BertModel model = BertModel.load(folder, EngineOptions.defaults())) {
            assertTrue(onnx.outputNames().contains("pooler_output"), onnx.outputNames().toString());
            assertTrue(model.hasPooler(), "the converter kept pooler.dense");
            BertModelOutput ours = model.forward(batch);   // all twelve packed into one batch
            for (int s = 0; s < ids.length; s++) {
                float[][] oracleHidden = onnx.lastHiddenState(ids[s], types[s]);
                float[] oraclePooled = onnx.poolerOutput(ids[s], types[s]);
                double[] clsDiff = new double[hidden];
                for (int t = 0; t < ids[s].length; t++) {
                    float[] mine = ours.tokenVector(s, t);
                    for (int i = 0; i < hidden; i++) {
                        double d = Math.abs(mine[i] - oracleHidden[t][i]);
                        hiddenDiff = Math.max(hiddenDiff, d);
                        if (t == 0) {
                            clsDiff[i] = d;
                        }
                    }
                }
                float[] cls = ours.tokenVector(s, 0);
                float[] pooled = ours.poolerVector(s);
                for (int j = 0; j < hidden; j++) {
                    // What reaches unit j from the hidden-state difference at [CLS] (tanh' <= 1), plus each side's
                    // float32 dot product of 32 terms and bias (<= 33 u sum|terms|), plus a few ulps of tanh.
                    double propagated = 0;
                    double magnitude = Math.abs(bias[j]);
                    for (int i = 0; i < hidden; i++) {
                        propagated += Math.abs(weight[j * hidden + i]) * clsDiff[i];
                        magnitude += Math.abs(weight[j * hidden + i] * cls[i]);
                    }
                    double bound = propagated + 2 * (hidden + 1) * U * magnitude + 4 * U;
                    double d = Math.abs(pooled[j] - oraclePooled[j]);
                    poolerDiff = Math.max(poolerDiff, d);
                    worstOfBound = Math.max(worstOfBound, d / bound);
                    poolerMagnitude += Math.abs(oraclePooled[j]) / (ids.length * hidden);
                    assertTrue(d <= bound, "sequence " + s + ", pooler unit " + j + ": " + pooled[j] + " vs onnxruntime's "
                            + oraclePooled[j] + " (bound " + bound + ")");
                }
                if (s % 2 == 1) {
                    // Control: the pair with every type 0 pools visibly differently, so the comparison can see types.
                    float[] typeZero = onnx.poolerOutput(ids[s], new int[ids[s].length]);
                    controlDiff = Math.min(controlDiff, maxAbs(typeZero, oraclePooled));
                }
            }
        }
        System.out.printf("pooler vs onnxruntime: 12 sequences (1..64 tokens): max|Δh| %.3g, max|Δpool| %.3g "
                        + "(worst %.2f of its bound), mean|pool| %.3f; types all 0 instead: |Δpool| >= %.3g%n",
                hiddenDiff, poolerDiff, worstOfBound, poolerMagnitude, controlDiff);
        assertTrue(hiddenDiff <= HIDDEN_ABS, "last hidden state differs from onnxruntime by " + hiddenDiff);
        assertTrue(poolerMagnitude > 0.1, "the pooler is not trivially near 0: " + poolerMagnitude);
        assertTrue(controlDiff > 1e3 * HIDDEN_ABS, "token type 1 changes the pooler by only " + controlDiff);
    }


    private static double maxAbs(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double[] doubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
