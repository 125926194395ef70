package org.bert4j.heads;

import org.bert4j.folder.Pooling;
import org.bert4j.heads.data.CsvDataset;
import org.bert4j.heads.data.Dataset;
import org.bert4j.heads.data.EntitySpan;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.data.FieldMapping;
import org.bert4j.heads.data.SharedData;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.Entity;
import org.bert4j.heads.ner.TagScheme;
import org.bert4j.heads.train.EpochReport;
import org.bert4j.heads.train.Task;
import org.bert4j.heads.train.Trainer;
import org.bert4j.heads.train.TrainingListener;
import org.bert4j.heads.train.TrainingOptions;
import org.bert4j.heads.train.TrainingReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heads on the real default backbone (all-MiniLM-L6-v2, frozen). */
class RealBackboneTest {

    @TempDir
    Path dir;

    private static MultiTaskModel model() {
        MultiTaskModel model = MultiTaskModel.on(RealBackbone.unclosable());
        model.addClassificationHead("topic", TemplatedData.TOPICS, Pooling.MEAN, 1);
        model.addTokenClassificationHead("ner", List.of("PER", "LOC", "ORG"), TagScheme.BIO, 2);
        return model;
    }

    private static TrainingOptions options() {
        return TrainingOptions.defaults().withEpochs(15).withLearningRate(1e-2).withBatchSize(16).withSeed(7);
    }

    @Test
    void templatedTopicsAndEntitiesAreLearnedFromTheFrozenBackbone() throws IOException {
        List<Example> data = TemplatedData.generate(400, 11);
        MultiTaskModel model = model();
        TrainingReport report = Trainer.train(model,
                List.of(Task.split("topic", data, 0.25, 3), Task.split("ner", data, 0.25, 3)), options(),
                new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochReport r) {
                        System.out.printf("templated epoch %d: loss %s, topic accuracy %.4f, entity F1 %.4f%n",
                                r.epoch(), r.trainLoss(), r.dev().get(0).classification().accuracy(),
                                r.dev().get(1).entities().f1());
                    }
                });
        EpochReport best = report.best();
        double accuracy = best.dev().get(0).classification().accuracy();
        double f1 = best.dev().get(1).entities().f1();
        System.out.printf("templated best epoch %d: topic accuracy %.4f macro-F1 %.4f, entity P %.4f R %.4f F1 %.4f%n",
                report.bestEpoch(), accuracy, best.dev().get(0).classification().macroF1(),
                best.dev().get(1).entities().precision(), best.dev().get(1).entities().recall(), f1);
        assertTrue(accuracy >= 0.97, "topic accuracy " + accuracy);
        assertTrue(f1 >= 0.95, "entity F1 " + f1);

        // The same end to end: aggregated entities' character spans against the gold spans.
        List<Example> dev = Task.split("ner", data, 0.25, 3).dev();
        double first = org.bert4j.heads.train.Evaluator.entitySpans(model, "ner", dev, AggregationStrategy.FIRST).f1();
        double simple = org.bert4j.heads.train.Evaluator.entitySpans(model, "ner", dev, AggregationStrategy.SIMPLE).f1();
        System.out.printf("templated span F1 over characters: first %.4f, simple %.4f%n", first, simple);
        assertTrue(first >= 0.95, "span F1 with FIRST " + first);

        // Whole entities over the original text, whatever the sub-word split.
        String text = "Aiko Tanaka will lead Wayne Enterprises from its office in Toronto.";
        List<Entity> entities = model.entities(List.of(text), "ner").getFirst();
        System.out.println("templated entities: " + entities);
        assertEquals(List.of("Aiko Tanaka", "Wayne Enterprises", "Toronto"), entities.stream().map(Entity::text).toList());
        assertEquals(List.of("PER", "ORG", "LOC"), entities.stream().map(Entity::label).toList());
        assertEquals("BUSINESS", model.classify(List.of(text), "topic").getFirst().label());

        // Save → load (the backbone found again from its reference) → identical predictions.
        model.save(dir);
        List<String> texts = data.subList(0, 30).stream().map(Example::text).toList();
        try (MultiTaskModel loaded = MultiTaskModel.load(dir)) {
            assertEquals("bundled:all-MiniLM-L6-v2", loaded.backbone().reference());
            assertSamePredictions(model.predictAll(texts), loaded.predictAll(texts));
            for (String head : List.of("topic", "ner")) {
                assertArrayEquals(model.head(head).linear().weight().value(), loaded.head(head).linear().weight().value());
            }
        }
    }

    @Test
    void entitiesNeverSeenInTrainingAreFoundFromTheirContext() throws IOException {
        List<Example> train = TemplatedData.generate(300, 21, TemplatedData.Names.SEEN);
        List<Example> dev = TemplatedData.generate(100, 22, TemplatedData.Names.UNSEEN);
        MultiTaskModel model = model();
        TrainingReport report = Trainer.train(model, List.of(new Task("ner", train, dev)), options(),
                TrainingListener.silent());
        var best = report.best().dev().getFirst().entities();
        System.out.printf("templated, unseen names: best epoch %d, entity P %.4f R %.4f F1 %.4f, per type %s%n",
                report.bestEpoch(), best.precision(), best.recall(), best.f1(), best.perType());
        // Cities and people carry over from context; with only four organisations in training, ORG does not.
        assertTrue(best.f1() >= 0.8, "entity F1 on unseen names " + best.f1());
        assertTrue(best.perType().get("LOC").f1() >= 0.95, "LOC F1 on unseen cities " + best.perType().get("LOC"));
    }

    @Test
    void seedCsvTrainsBothHeadsJointlyAndPredictsReadably() throws IOException {
        Dataset seed = CsvDataset.read(SharedData.file("annotated_w_quotes.csv"), FieldMapping.seed());
        List<String> types = seed.examples().stream().flatMap(e -> e.entities().stream()).map(EntitySpan::label)
                .distinct().sorted().toList();
        MultiTaskModel model = MultiTaskModel.on(RealBackbone.unclosable());
        model.addClassificationHead("category", LabelVocabulary.fromData(seed.labels()).labels(), Pooling.MEAN, 1);
        model.addTokenClassificationHead("ner", types, TagScheme.BIO, 2);
        TrainingReport report = Trainer.train(model, List.of(new Task("category", seed.examples(), List.of()),
                        new Task("ner", seed.examples(), List.of())),
                TrainingOptions.defaults().withEpochs(30).withLearningRate(2e-2).withBatchSize(4)
                        .withSampling(org.bert4j.heads.train.TaskSampling.ROUND_ROBIN), TrainingListener.silent());
        assertTrue(report.lastEpoch().trainLoss().get("ner") < report.epochs().getFirst().trainLoss().get("ner"));
        List<String> texts = seed.examples().stream().map(Example::text).toList();
        List<Map<String, Prediction>> all = model.predictAll(texts);
        int correct = 0;
        for (int i = 0; i < texts.size(); i++) {
            ClassPrediction category = (ClassPrediction) all.get(i).get("category");
            if (category.label().equals(seed.examples().get(i).label())) {
                correct++;
            }
            for (Entity e : ((EntitiesPrediction) all.get(i).get("ner")).entities()) {
                assertEquals(texts.get(i).substring(e.start(), e.end()), e.text());
            }
        }
        System.out.println("seed CSV: training accuracy " + correct + "/20; row 1 entities: "
                + ((EntitiesPrediction) all.get(0).get("ner")).entities());
        assertTrue(correct >= 18, "a head should fit its 20 training rows, got " + correct);
        for (AggregationStrategy strategy : AggregationStrategy.values()) {
            model.entities(texts, "ner", strategy); // every strategy runs on real tokenisations
        }
    }

    /**
     * The same labels and spans, scores equal up to rounding: the JIT may run one of the two forwards interpreted
     * or on the engine's cold-start scalar kernels, whose sums and exponentials round differently from C2's.
     */
    private static void assertSamePredictions(List<Map<String, Prediction>> expected, List<Map<String, Prediction>> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).keySet(), actual.get(i).keySet());
            for (String task : expected.get(i).keySet()) {
                Prediction e = expected.get(i).get(task);
                Prediction a = actual.get(i).get(task);
                String where = "text " + i + ", task " + task;
                if (e instanceof ClassPrediction ec && a instanceof ClassPrediction ac) {
                    assertEquals(ec.label(), ac.label(), where);
                    assertEquals(ec.probabilities().keySet(), ac.probabilities().keySet(), where);
                    for (String label : ec.probabilities().keySet()) {
                        assertEquals(ec.probabilities().get(label), ac.probabilities().get(label), 1e-5, where + ", " + label);
                    }
                } else if (e instanceof EntitiesPrediction ee && a instanceof EntitiesPrediction ae) {
                    assertEquals(ee.entities().size(), ae.entities().size(), where);
                    for (int k = 0; k < ee.entities().size(); k++) {
                        Entity x = ee.entities().get(k);
                        Entity y = ae.entities().get(k);
                        assertEquals(List.of(x.label(), x.start(), x.end(), x.text()), List.of(y.label(), y.start(), y.end(), y.text()), where);
                        assertEquals(x.score(), y.score(), 1e-5, where);
                    }
                } else {
                    assertEquals(e, a, where);
                }
            }
        }
    }
}
