package org.bert4j.heads.train;

import org.bert4j.folder.Pooling;
import org.bert4j.heads.FakeBackbone;
import org.bert4j.heads.Head;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.TemplatedDataAccess;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.ner.TagScheme;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gradient of the loss the trainer minimises, through the exact code path of a training step, checked against
 * central finite differences for every trainable parameter of both heads (weighted classes, ignored tokens).
 */
class TrainerGradientTest {

    @Test
    void everyHeadParameterGradientMatchesFiniteDifferences() throws IOException {
        MultiTaskModel model = MultiTaskModel.on(new FakeBackbone(12, 64));
        model.addClassificationHead("topic", TemplatedDataAccess.topics(), Pooling.MEAN, 1);
        model.addTokenClassificationHead("ner", List.of("PER", "LOC", "ORG"), TagScheme.BIO, 2);
        Random random = new Random(4);
        for (Head head : model.heads().values()) {
            head.linear().initialize(random, 0.5);
        }
        List<Example> data = TemplatedDataAccess.generate(6, 5);
        List<TaskFeatures> features = FeatureExtractor.extract(model.backbone(), List.of(
                new FeatureExtractor.Request(model.head("topic"), data),
                new FeatureExtractor.Request(model.head("ner"), data)), 4, null, (a, b) -> { });
        int[] batch = {0, 2, 3, 5};
        for (int h = 0; h < 2; h++) {
            Head head = h == 0 ? model.head("topic") : model.head("ner");
            FeatureSource source = new CachedFeatures(features.get(h));
            double[] weights = new double[head.labels().size()];
            for (int c = 0; c < weights.length; c++) {
                weights[c] = 0.5 + c * 0.25;
            }
            for (var p : head.parameters()) {
                p.zeroGrad();
            }
            Trainer.step(head, source, batch, weights);
            for (var p : head.parameters()) {
                float[] analytic = p.grad().clone();
                float[] values = p.value();
                for (int i = 0; i < values.length; i++) {
                    float original = values[i];
                    values[i] = (float) (original + 1e-3);
                    double up = values[i] - (double) original;
                    double lossUp = loss(head, source, batch, weights);
                    values[i] = (float) (original - 1e-3);
                    double down = original - (double) values[i];
                    double lossDown = loss(head, source, batch, weights);
                    values[i] = original;
                    double numeric = (lossUp - lossDown) / (up + down);
                    assertEquals(numeric, analytic[i], 1e-7 + 1e-5 * Math.abs(numeric), p.name() + "[" + i + "]");
                }
            }
        }
    }

    private static double loss(Head head, FeatureSource source, int[] batch, double[] weights) {
        List<float[]> saved = head.parameters().stream().map(p -> p.grad().clone()).toList();
        double loss = Trainer.step(head, source, batch, weights);
        for (int p = 0; p < saved.size(); p++) {
            System.arraycopy(saved.get(p), 0, head.parameters().get(p).grad(), 0, saved.get(p).length);
        }
        return loss;
    }
}
