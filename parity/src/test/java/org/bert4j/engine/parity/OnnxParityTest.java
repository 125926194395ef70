package org.bert4j.engine.parity;

import org.bert4j.folder.SentenceTransformerConfig;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.EngineOptions;
import org.bert4j.folder.Pooling;
import org.bert4j.engine.TokenBatch;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bert4j equals onnxruntime on the same ONNX checkpoints, over ~200 texts of 2 to 512 tokens, alone and in packed
 * batches of 32 mixed lengths, with both GEMM backends:
 * last hidden state within 1e-4 on every real token, pooled embeddings at cosine ≥ 0.99999, and a text's embedding
 * the same alone and inside a batch.
 */
class OnnxParityTest {

    private static final double MAX_ABS_DIFF = 1e-4;
    private static final double MIN_COSINE = 0.99999;
    /** Alone vs in a batch: the same arithmetic, so only GEMM blocking may differ. */
    private static final double MAX_BATCH_DIFF = 1e-5;

    private static List<String> texts;

    @BeforeAll
    static void corpus() throws Exception {
        texts = ParityCorpus.texts();
        assertTrue(texts.size() >= 200, "corpus has " + texts.size() + " texts");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "all-MiniLM-L6-v2, /all-minilm-l6-v2.onnx",
            "bge-small-en-v1.5, /bge-small-en-v1.5.onnx",
            "e5-small-v2, /e5-small-v2.onnx"})
    void matchesOnnxruntimeAloneAndInBatchesWithBothBackends(String name, String onnx) throws Exception {
        Path dir = BundledModels.ensure(name);
        BertTokenizer tokenizer = BertTokenizer.load(dir);
        EncodeOptions truncate512 = EncodeOptions.defaults().withMaxLength(512);
        List<Encoding> encodings = new ArrayList<>();
        for (String text : texts) {
            encodings.add(tokenizer.encode(text, truncate512));
        }
        TokenBatch all = TokenBatch.of(encodings);
        assertTrue(all.maxLength() == 512, "the corpus must reach 512 tokens, longest is " + all.maxLength());
        Pooling modelPooling = SentenceTransformerConfig.readPooling(dir).orElse(Pooling.MEAN);

        float[][][] oracle = new float[all.size()][][];
        try (OnnxOracle ort = new OnnxOracle(onnx)) {
            for (int s = 0; s < all.size(); s++) {
                TokenBatch one = all.slice(s, s + 1);
                oracle[s] = ort.lastHiddenState(one.ids(), one.typeIds());
            }
        }

        for (String backend : List.of("openblas", "java")) {
            try (BertModel model = BertModel.load(dir, EngineOptions.defaults().withGemm(backend))) {
                // Batch 1: every text alone.
                BertModelOutput[] alone = new BertModelOutput[all.size()];
                Stats single = new Stats();
                for (int s = 0; s < all.size(); s++) {
                    alone[s] = model.forward(all.slice(s, s + 1));
                    single.add(alone[s], 0, oracle[s], modelPooling);
                }
                // Batch 32: texts shuffled so every batch mixes short and long ones.
                List<Integer> order = new ArrayList<>();
                for (int s = 0; s < all.size(); s++) {
                    order.add(s);
                }
                Collections.shuffle(order, new Random(17));
                Stats batched = new Stats();
                double aloneVsBatch = 0;
                for (int from = 0; from < order.size(); from += 32) {
                    List<Integer> members = order.subList(from, Math.min(order.size(), from + 32));
                    List<Encoding> chunk = new ArrayList<>();
                    for (int s : members) {
                        chunk.add(encodings.get(s));
                    }
                    BertModelOutput out = model.forward(TokenBatch.of(chunk));
                    for (int i = 0; i < members.size(); i++) {
                        int s = members.get(i);
                        batched.add(out, i, oracle[s], modelPooling);
                        aloneVsBatch = Math.max(aloneVsBatch, maxAbs(alone[s].pool(modelPooling, 0), out.pool(modelPooling, i)));
                        aloneVsBatch = Math.max(aloneVsBatch, maxAbs(alone[s].pool(Pooling.MEAN, 0), out.pool(Pooling.MEAN, i)));
                    }
                }
                String where = name + " / " + backend;
                System.out.printf("parity %-18s %-8s batch 1 : max|Δh| %.3g, 1 - min cos: mean pooling %.2g, %s %.2g%n",
                        name, backend, single.maxAbs, 1 - single.minCosMean, modelPooling, 1 - single.minCosModel);
                System.out.printf("parity %-18s %-8s batch 32: max|Δh| %.3g, 1 - min cos: mean pooling %.2g, %s %.2g;"
                                + " alone vs batch max|Δe| %.3g%n",
                        name, backend, batched.maxAbs, 1 - batched.minCosMean, modelPooling, 1 - batched.minCosModel,
                        aloneVsBatch);
                single.check(where + " batch 1");
                batched.check(where + " batch 32");
                assertTrue(aloneVsBatch <= MAX_BATCH_DIFF, where + ": a text's embedding alone and in a batch differ by "
                        + aloneVsBatch);
            }
        }
    }

    /** The worst differences seen against the oracle. */
    private static final class Stats {
        double maxAbs;
        double minCosMean = 1;
        double minCosModel = 1;

        void add(BertModelOutput ours, int seq, float[][] oracle, Pooling modelPooling) {
            int h = ours.hidden();
            int len = ours.sequenceLengths()[seq];
            if (len != oracle.length) {
                throw new AssertionError("length " + len + " vs oracle " + oracle.length);
            }
            for (int t = 0; t < len; t++) {
                float[] v = ours.tokenVector(seq, t);
                for (int i = 0; i < h; i++) {
                    double d = Math.abs(v[i] - oracle[t][i]);
                    if (d > maxAbs) {
                        maxAbs = d;
                    }
                }
            }
            // Mean pooling from the oracle's last hidden state, as the seed computes it: sum(h·mask) / sum(mask).
            float[] oracleMean = new float[h];
            for (float[] row : oracle) {
                for (int i = 0; i < h; i++) {
                    oracleMean[i] += row[i];
                }
            }
            for (int i = 0; i < h; i++) {
                oracleMean[i] /= len;
            }
            minCosMean = Math.min(minCosMean, cosine(ours.pool(Pooling.MEAN, seq), oracleMean));
            float[] oracleModel = switch (modelPooling) {
                case MEAN -> oracleMean;
                case CLS -> oracle[0];
                case MAX -> {
                    float[] m = oracle[0].clone();
                    for (float[] row : oracle) {
                        for (int i = 0; i < h; i++) {
                            m[i] = Math.max(m[i], row[i]);
                        }
                    }
                    yield m;
                }
            };
            minCosModel = Math.min(minCosModel, cosine(ours.pool(modelPooling, seq), oracleModel));
        }

        void check(String where) {
            assertTrue(maxAbs <= MAX_ABS_DIFF, where + ": last hidden state differs by " + maxAbs);
            assertTrue(minCosMean >= MIN_COSINE, where + ": mean-pooled cosine " + minCosMean);
            assertTrue(minCosModel >= MIN_COSINE, where + ": model-pooled cosine " + minCosModel);
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static double maxAbs(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
