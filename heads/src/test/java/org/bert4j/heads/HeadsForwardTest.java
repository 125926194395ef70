package org.bert4j.heads;

import org.bert4j.engine.BertModelOutput;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.Entity;
import org.bert4j.heads.ner.TagScheme;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heads' forward passes against a plain scalar re-computation from the backbone's hidden states. */
class HeadsForwardTest {

    private static final List<String> TEXTS = List.of("Maria Lopez scored twice in Paris.",
            "Globex shares rose in Chicago", "", "Snow closed the airport in Nairobi as temperatures fell.");

    private static MultiTaskModel model() {
        MultiTaskModel model = MultiTaskModel.on(new FakeBackbone(16, 64));
        ClassificationHead topic = model.addClassificationHead("topic", List.of("A", "B", "C"), Pooling.MEAN, 1);
        TokenClassificationHead ner = model.addTokenClassificationHead("ner", List.of("PER", "LOC"), TagScheme.BIO, 2);
        // Larger weights than the 0.02 initialisation so that the probabilities are far from uniform.
        Random random = new Random(3);
        for (Head head : List.of(topic, ner)) {
            head.linear().initialize(random, 1.0);
            for (int i = 0; i < head.labels().size(); i++) {
                head.linear().bias().value()[i] = (float) random.nextGaussian();
            }
        }
        return model;
    }

    @Test
    void classificationMatchesMeanPoolingLinearSoftmaxByHand() {
        MultiTaskModel model = model();
        ClassificationHead head = (ClassificationHead) model.head("topic");
        List<ClassPrediction> predictions = model.classify(TEXTS, "topic");
        for (int s = 0; s < TEXTS.size(); s++) {
            Tokens tokens = model.backbone().tokenize(TEXTS.get(s));
            BertModelOutput out = model.backbone().forward(List.of(tokens));
            int h = out.hidden();
            double[] logits = new double[3];
            for (int c = 0; c < 3; c++) {
                double z = head.linear().bias().value()[c];
                for (int i = 0; i < h; i++) {
                    double mean = 0;
                    for (int t = 0; t < tokens.length(); t++) {
                        mean += out.lastHidden()[t * h + i];
                    }
                    mean = (float) (mean / tokens.length()); // the engine's pooling rounds the mean to float
                    z += mean * head.linear().weight().value()[c * h + i];
                }
                logits[c] = z;
            }
            double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
            double sum = 0;
            for (double z : logits) {
                sum += Math.exp(z - max);
            }
            ClassPrediction p = predictions.get(s);
            int best = 0;
            for (int c = 0; c < 3; c++) {
                double expected = Math.exp(logits[c] - max) / sum;
                assertEquals(expected, p.probabilities().get(head.labels().label(c)), 1e-12, "text " + s + " class " + c);
                if (logits[c] > logits[best]) {
                    best = c;
                }
            }
            assertEquals(head.labels().label(best), p.label());
            assertEquals(p.probabilities().get(p.label()), p.score(), 0);
        }
    }

    @Test
    void tokenHeadMatchesPerTokenLinearSoftmaxByHand() {
        MultiTaskModel model = model();
        TokenClassificationHead head = (TokenClassificationHead) model.head("ner");
        String text = TEXTS.getFirst();
        Tokens tokens = model.backbone().tokenize(text);
        BertModelOutput out = model.backbone().forward(List.of(tokens));
        int h = out.hidden();
        int k = head.labels().size();
        // With NONE every non-O token is reported with its own probability: compare each to the scalar computation.
        List<Entity> none = model.entities(List.of(text), "ner", AggregationStrategy.NONE).getFirst();
        int checked = 0;
        for (int t = 0; t < tokens.length(); t++) {
            if (tokens.wordIds()[t] < 0) {
                continue;
            }
            double[] z = new double[k];
            int best = 0;
            for (int c = 0; c < k; c++) {
                z[c] = head.linear().bias().value()[c];
                for (int i = 0; i < h; i++) {
                    z[c] += (double) out.lastHidden()[t * h + i] * head.linear().weight().value()[c * h + i];
                }
                if (z[c] > z[best]) {
                    best = c;
                }
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - z[best]);
            }
            String tag = head.labels().label(best);
            if (!tag.equals("O")) {
                int start = tokens.offsetStarts()[t];
                Entity e = none.stream().filter(x -> x.start() == start).findFirst().orElseThrow();
                assertEquals(tag, e.label());
                assertEquals(1 / sum, e.score(), 1e-12);
                checked++;
            }
        }
        assertEquals(none.size(), checked);
        assertTrue(checked > 0, "the random head should tag something");
    }

    @Test
    void predictAllEqualsEachTaskAlone() {
        MultiTaskModel model = model();
        List<Map<String, Prediction>> all = model.predictAll(TEXTS);
        List<Prediction> topic = model.predict(TEXTS, "topic");
        List<Prediction> ner = model.predict(TEXTS, "ner");
        for (int s = 0; s < TEXTS.size(); s++) {
            assertEquals(topic.get(s), all.get(s).get("topic"));
            assertEquals(ner.get(s), all.get(s).get("ner"));
        }
    }

    @Test
    void wrongWidthsAndUnknownHeadsAreRejected() {
        MultiTaskModel model = model();
        Linear wide = new Linear("wide", 17, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.addHead(
                new ClassificationHead("wide", new LabelVocabulary(List.of("x", "y")), Pooling.MEAN, wide)));
        assertTrue(e.getMessage().contains("17") && e.getMessage().contains("16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.predict(TEXTS, "sentiment"));
        assertTrue(e.getMessage().contains("[topic, ner]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.classify(TEXTS, "ner"));
    }
}
