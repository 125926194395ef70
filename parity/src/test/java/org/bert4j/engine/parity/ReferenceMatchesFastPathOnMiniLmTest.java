package org.bert4j.engine.parity;

import org.bert4j.convert.BundledModels;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.reference.ReferenceBert;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learners' plain reference path and the fast path agree to 1e-4 on the real default model. */
class ReferenceMatchesFastPathOnMiniLmTest {

    @Test
    void referenceAndFastPathAgreeOnRealTexts() throws Exception {
        Path dir = BundledModels.defaultModel();
        BertTokenizer tokenizer = BertTokenizer.load(dir);
        List<String> texts = ParityCorpus.texts();
        // A few texts of every kind, kept short because the reference path is scalar and single-threaded.
        List<String> chosen = List.of(texts.get(0), texts.get(150), texts.get(180), texts.get(186), texts.get(193), "");
        List<Encoding> encodings = new ArrayList<>();
        for (String t : chosen) {
            encodings.add(tokenizer.encode(t, EncodeOptions.defaults().withMaxLength(128)));
        }
        TokenBatch batch = TokenBatch.of(encodings);
        ReferenceBert reference = ReferenceBert.load(dir);
        float[][][] expected = new float[batch.size()][][];
        for (int s = 0; s < batch.size(); s++) {
            expected[s] = reference.forward(new int[][] {batch.sequenceIds(s)}, null, null).lastHiddenState()[0];
        }
        for (String backend : List.of("openblas", "java")) {
            try (BertModel model = BertModel.load(dir, EngineOptions.defaults().withGemm(backend))) {
                BertModelOutput fast = model.forward(batch);
                double worst = 0;
                for (int s = 0; s < batch.size(); s++) {
                    for (int t = 0; t < expected[s].length; t++) {
                        worst = Math.max(worst, OnnxParityTest.maxAbs(expected[s][t], fast.tokenVector(s, t)));
                    }
                }
                System.out.printf("reference vs fast (%s, MiniLM): max|Δh| %.3g%n", backend, worst);
                assertTrue(worst <= 1e-4, backend + ": reference and fast path differ by " + worst);
            }
        }
    }
}
