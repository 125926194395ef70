package org.bert4j.engine.parity;

import org.bert4j.convert.BundledModels;
import org.bert4j.engine.EmbeddingRequest;
import org.bert4j.engine.Normalize;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * e5-small-v2 expects "query: " / "passage: " before its inputs. With those prompts in the folder's
 * config_sentence_transformers.json, {@code encode(texts, withPromptName("query"))} equals onnxruntime run on the
 * prefixed text (tokenised by Hugging Face's rules, mean-pooled, L2-normalised as e5's modules say).
 */
class PromptParityTest {

    /** The hidden states agree to ≤ 2e-5 (OnnxParityTest); a mean of them, scaled by ~1/‖h‖ ≈ 0.1, stays far below this. */
    private static final double MAX_DIFF = 1e-4;

    private static final List<String> TEXTS = List.of(
            "how much protein should a female eat",
            "Over 4 Million Americans Roll Up Sleeves For Omicron-Targeted COVID Boosters",
            "summit define",
            "",
            "Café naïve façade — déjà vu 🎉");

    @TempDir
    Path dir;

    @Test
    void queryPromptedEmbeddingsEqualOnnxruntimeOnThePrefixedText() throws Exception {
        Path e5 = BundledModels.ensure("e5-small-v2");
        Path folder = dir.resolve("e5");
        Files.createDirectories(folder);
        try (var files = Files.list(e5)) {
            for (Path f : files.toList()) {
                Files.createSymbolicLink(folder.resolve(f.getFileName()), f.toAbsolutePath());
            }
        }
        Files.writeString(folder.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"}, \"similarity_fn_name\": \"cosine\"}");

        float[][] ours;
        float[][] unprompted;
        try (SentenceEncoder encoder = SentenceEncoder.load(folder)) {
            ours = encoder.encode(TEXTS, EmbeddingRequest.defaults().withPromptName("query"));
            unprompted = encoder.encode(TEXTS);
        }
        BertTokenizer tokenizer = BertTokenizer.load(e5);
        List<float[]> oracle = new ArrayList<>();
        try (OnnxOracle ort = new OnnxOracle("/e5-small-v2.onnx")) {
            for (String text : TEXTS) {
                Encoding enc = tokenizer.encode("query: " + text, EncodeOptions.defaults().withMaxLength(512));
                float[][] h = ort.lastHiddenState(enc.ids(), enc.typeIds());
                float[] mean = new float[h[0].length];
                for (float[] row : h) {
                    for (int i = 0; i < mean.length; i++) {
                        mean[i] += row[i] / h.length;
                    }
                }
                Normalize.l2(mean);
                oracle.add(mean);
            }
        }
        double worst = 0;
        double closestUnprompted = -1;
        for (int s = 0; s < TEXTS.size(); s++) {
            worst = Math.max(worst, OnnxParityTest.maxAbs(ours[s], oracle.get(s)));
            closestUnprompted = Math.max(closestUnprompted, OnnxParityTest.cosine(unprompted[s], oracle.get(s)));
        }
        System.out.printf("prompt parity e5-small-v2 \"query: \": max|Δe| %.3g over %d texts%n", worst, TEXTS.size());
        assertTrue(worst <= MAX_DIFF, "prompted embeddings differ from onnxruntime by " + worst);
        // The oracle is not indifferent to the prompt: the unprompted vectors are measurably elsewhere.
        assertTrue(closestUnprompted < 0.999, "unprompted vectors at cosine " + closestUnprompted + " of the oracle's");
    }
}
