package org.bert4j.heads;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.EngineOptions;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.Entity;
import org.bert4j.heads.ner.EntityAggregator;
import org.bert4j.heads.train.CrossEntropy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.bert4j.heads.HfFixtures.doubles;
import static org.bert4j.heads.HfFixtures.expected;
import static org.bert4j.heads.HfFixtures.ints;
import static org.bert4j.heads.HfFixtures.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hugging Face task checkpoints made by PyTorch, converted by bert4j and run through {@link MultiTaskModel}: the
 * logits equal PyTorch's to 1e-4, and so do the scores and entities built on them.
 *
 * <p>Why 1e-4: both sides compute in float32 (unit round-off 6e-8) but sum in different orders; through two layers
 * of width 32-64 the hidden states differ by a few 1e-7 relative, and the logits (|logit| &lt; 10) by about 1e-6.
 * 1e-4 is the bound, a hundred times that; a wrong pooler, activation, label order or token type moves a
 * logit by 1e-2 or more.
 */
class PretrainedHeadsTest {

    static final double TOLERANCE = 1e-4;

    @TempDir
    static Path dir;
    static MultiTaskModel seqCls;
    static MultiTaskModel multiLabel;
    static MultiTaskModel tokenCls;

    @BeforeAll
    static void convertAndLoad() throws IOException {
        EngineOptions one = EngineOptions.defaults().withThreads(1);
        seqCls = MultiTaskModel.load(HfFixtures.converted("seq-cls", dir), one);
        multiLabel = MultiTaskModel.load(HfFixtures.converted("multi-label", dir), one);
        tokenCls = MultiTaskModel.load(HfFixtures.converted("token-cls", dir), one);
    }

    @AfterAll
    static void close() {
        for (MultiTaskModel m : List.of(seqCls, multiLabel, tokenCls)) {
            m.close();
        }
    }

    private static List<JsonObject> examples(String fixture) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : expected(fixture).getAsJsonArray("examples")) {
            out.add(e.getAsJsonObject());
        }
        return out;
    }

    private static void tokenizesAsTorchDid(MultiTaskModel model, JsonObject example) {
        String text = example.get("text").getAsString();
        assertArrayEquals(ints(example.get("input_ids")), model.backbone().tokenize(text).ids(), text);
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, what + " [" + i + "]");
        }
    }

    private static double[] scores(Map<String, Double> byLabel, List<String> labels) {
        return labels.stream().mapToDouble(byLabel::get).toArray();
    }

    @Test
    void sequenceClassifierGivesTorchsLogitsAndSoftmax() {
        List<String> labels = strings(expected("seq-cls").get("labels"));
        Head head = seqCls.head(PretrainedHead.NAME);
        assertEquals(labels, head.labels().labels());
        ClassificationHead classifier = assertInstanceOf(ClassificationHead.class, head);
        assertTrue(classifier.pooler(), "BertForSequenceClassification reads the pooler");
        assertEquals(ClassificationFunction.SOFTMAX, classifier.function(), "3 labels, no problem_type: softmax");
        for (JsonObject example : examples("seq-cls")) {
            tokenizesAsTorchDid(seqCls, example);
            String text = example.get("text").getAsString();
            ClassPrediction logits = seqCls.classify(List.of(text), PretrainedHead.NAME, ClassificationFunction.NONE).getFirst();
            assertClose(doubles(example.get("logits")), scores(logits.probabilities(), labels), "logits of " + text);
            ClassPrediction p = seqCls.classify(List.of(text), PretrainedHead.NAME).getFirst();
            double[] torch = doubles(example.get("scores"));
            assertClose(torch, scores(p.probabilities(), labels), "softmax of " + text);
            assertEquals(labels.get(argMax(torch)), p.label(), text);
        }
    }

    @Test
    void multiLabelClassifierScoresEachLabelWithSigmoid() {
        List<String> labels = strings(expected("multi-label").get("labels"));
        ClassificationHead head = (ClassificationHead) multiLabel.head(PretrainedHead.NAME);
        assertEquals(ClassificationFunction.SIGMOID, head.function(), "problem_type multi_label_classification");
        List<String> texts = examples("multi-label").stream().map(e -> e.get("text").getAsString()).toList();
        List<ClassPrediction> predictions = multiLabel.classify(texts, PretrainedHead.NAME);
        List<ClassPrediction> logits = multiLabel.classify(texts, PretrainedHead.NAME, ClassificationFunction.NONE);
        for (int i = 0; i < texts.size(); i++) {
            JsonObject example = examples("multi-label").get(i);
            tokenizesAsTorchDid(multiLabel, example);
            assertClose(doubles(example.get("logits")), scores(logits.get(i).probabilities(), labels), texts.get(i));
            assertClose(doubles(example.get("scores")), scores(predictions.get(i).probabilities(), labels), texts.get(i));
        }
    }

    @Test
    void tokenClassifierGivesTorchsLogitsOnEveryToken() {
        List<String> labels = strings(expected("token-cls").get("labels"));
        Head head = tokenCls.head(PretrainedHead.NAME);
        assertInstanceOf(TokenClassificationHead.class, head);
        assertEquals(labels, head.labels().labels(), "labels in id2label's order, not sorted");
        for (JsonObject example : examples("token-cls")) {
            tokenizesAsTorchDid(tokenCls, example);
            Tokens tokens = tokenCls.backbone().tokenize(example.get("text").getAsString());
            BertModelOutput output = tokenCls.backbone().forward(List.of(tokens));
            double[] ours = head.logits(output.sequence(0), tokens.length());
            JsonElement torch = example.get("logits");
            for (int t = 0; t < tokens.length(); t++) {
                double[] row = java.util.Arrays.copyOfRange(ours, t * labels.size(), (t + 1) * labels.size());
                assertClose(doubles(torch.getAsJsonArray().get(t)), row, "token " + t + " of " + tokens.text());
            }
        }
    }

    /** The oracle's entities: bert4j's aggregation (tested against Hugging Face's elsewhere) on PyTorch's softmax. */
    @Test
    void entitiesAreThoseOfTorchsLogitsForEveryStrategy() {
        List<String> labels = strings(expected("token-cls").get("labels"));
        int found = 0;
        for (AggregationStrategy strategy : AggregationStrategy.values()) {
            for (JsonObject example : examples("token-cls")) {
                String text = example.get("text").getAsString();
                Tokens tokens = tokenCls.backbone().tokenize(text);
                JsonElement torch = example.get("logits");
                double[] flat = new double[tokens.length() * labels.size()];
                for (int t = 0; t < tokens.length(); t++) {
                    System.arraycopy(doubles(torch.getAsJsonArray().get(t)), 0, flat, t * labels.size(), labels.size());
                }
                List<Entity> expected = EntityAggregator.aggregate(text, CrossEntropy.softmaxRows(flat, tokens.length(),
                        labels.size()), labels, tokens.offsetStarts(), tokens.offsetEnds(), tokens.wordIds(), strategy);
                List<Entity> actual = tokenCls.entities(List.of(text), PretrainedHead.NAME, strategy).getFirst();
                assertEquals(expected.size(), actual.size(), strategy + ": " + text + " " + actual);
                for (int i = 0; i < expected.size(); i++) {
                    Entity e = expected.get(i);
                    Entity a = actual.get(i);
                    assertEquals(List.of(e.label(), e.start(), e.end(), e.text()), List.of(a.label(), a.start(), a.end(), a.text()));
                    assertEquals(e.score(), a.score(), TOLERANCE, strategy + ": " + e);
                }
                found += expected.size();
            }
        }
        assertTrue(found > 20, "the fixture's texts hold entities under every strategy: " + found);
    }

    @Test
    void savedPretrainedHeadsLoadBackAsThePooledSigmoidHeadsTheyAre() throws IOException {
        Path saved = dir.resolve("saved-multi-label");
        multiLabel.save(saved);
        List<String> texts = examples("multi-label").stream().map(e -> e.get("text").getAsString()).toList();
        try (MultiTaskModel loaded = MultiTaskModel.load(saved, EngineOptions.defaults().withThreads(1))) {
            ClassificationHead head = (ClassificationHead) loaded.head(PretrainedHead.NAME);
            assertTrue(head.pooler());
            assertEquals(ClassificationFunction.SIGMOID, head.function());
            assertEquals(multiLabel.classify(texts, PretrainedHead.NAME), loaded.classify(texts, PretrainedHead.NAME));
        }
    }

    private static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
