package org.bert4j.heads.eval;

import org.bert4j.folder.Pooling;
import org.bert4j.heads.ClassificationHead;
import org.bert4j.heads.LabelVocabulary;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.RealBackbone;
import org.bert4j.heads.data.Dataset;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.data.FieldMapping;
import org.bert4j.heads.data.JsonlDataset;
import org.bert4j.heads.data.SharedData;
import org.bert4j.heads.metrics.ClassificationMetrics;
import org.bert4j.heads.train.ClassWeighting;
import org.bert4j.heads.train.Evaluator;
import org.bert4j.heads.train.Task;
import org.bert4j.heads.train.TaskMetrics;
import org.bert4j.heads.train.Trainer;
import org.bert4j.heads.train.TrainingListener;
import org.bert4j.heads.train.TrainingOptions;
import org.bert4j.heads.train.TrainingReport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real-data evaluation of the issue: a category head on the frozen default backbone, trained on the first 6000
 * HuffPost rows (10% of them held out as dev for early stopping), scored on the last 2000 next to the majority-class
 * baseline, once without and once with balanced class weights. Backbone features are cached under the build's model
 * cache, keyed by the contents of the engine's and tokenizer's classes (among the rest), so the first run after any
 * change to them pays for the 8000 backbone passes and later runs replay them.
 */
class NewsCategoryTest {

    @Test
    void categoryHeadOnTheFrozenBackboneBeatsTheMajorityBaselineByFar() throws IOException {
        Dataset news = JsonlDataset.read(SharedData.file("news_category_first8000.jsonl"),
                FieldMapping.seed().withoutAnnotations());
        List<Example> first6000 = news.examples().subList(0, 6000);
        List<Example> last2000 = news.examples().subList(6000, 8000);
        LabelVocabulary labels = LabelVocabulary.fromData(news.labels());
        Path cache = Path.of(System.getProperty("bert4j.cacheDir", "target/model-cache")).resolve("features");

        // The majority-class baseline: always answer the most frequent training category.
        Map<String, Integer> counts = new HashMap<>();
        first6000.forEach(e -> counts.merge(e.label(), 1, Integer::sum));
        String majority = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int[] gold = last2000.stream().mapToInt(e -> labels.index(e.label())).toArray();
        int[] guess = new int[gold.length];
        Arrays.fill(guess, labels.index(majority));
        ClassificationMetrics baseline = ClassificationMetrics.of(gold, guess, labels.labels());

        assertEquals("POLITICS", majority);
        long started = System.nanoTime();
        for (ClassWeighting weighting : ClassWeighting.values()) {
            MultiTaskModel model = MultiTaskModel.on(RealBackbone.unclosable());
            ClassificationHead head = model.addClassificationHead("category", labels.labels(), Pooling.MEAN, 1);
            TrainingOptions options = TrainingOptions.defaults().withEpochs(40).withLearningRate(3e-3)
                    .withPatience(8).withClassWeighting(weighting).withFeatureCache(cache).withFeatureBatchSize(64);
            TrainingReport report = Trainer.train(model, List.of(Task.split("category", first6000, 0.1, 42)), options,
                    TrainingListener.silent());
            TaskMetrics test = Evaluator.evaluate(model, "category", last2000, 64, cache, "macro_f1", (a, b) -> { });
            System.out.printf("news category, class weights %s, last 2000 rows: accuracy %.4f, macro-F1 %.4f"
                            + " | majority '%s': accuracy %.4f, macro-F1 %.4f | best epoch %d of %d, dev macro-F1 %.4f"
                            + " | %.1f s so far%n",
                    weighting, test.classification().accuracy(), test.classification().macroF1(), majority,
                    baseline.accuracy(), baseline.macroF1(), report.bestEpoch(), report.epochs().size(),
                    report.bestScore(), (System.nanoTime() - started) / 1e9);
            assertTrue(test.classification().accuracy() >= baseline.accuracy() + 0.25,
                    "accuracy " + test.classification().accuracy() + " vs baseline " + baseline.accuracy());
            assertTrue(test.classification().macroF1() >= 0.30 && test.classification().macroF1() >= 15 * baseline.macroF1(),
                    "macro-F1 " + test.classification().macroF1() + " vs baseline " + baseline.macroF1());
            assertEquals(2000, test.classification().count());
            assertEquals(29, head.labels().size());
        }
    }
}
