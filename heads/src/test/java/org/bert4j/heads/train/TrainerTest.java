package org.bert4j.heads.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.FakeBackbone;
import org.bert4j.heads.Head;
import org.bert4j.heads.LabelVocabulary;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.TemplatedDataAccess;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.TagScheme;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training logic on a fake backbone (milliseconds per run); the real backbone's runs are in RealBackboneTrainingTest. */
class TrainerTest {

    private static MultiTaskModel model() {
        MultiTaskModel model = MultiTaskModel.on(new FakeBackbone(64, 64));
        model.addClassificationHead("topic", TemplatedDataAccess.topics(), Pooling.MEAN, 1);
        model.addTokenClassificationHead("ner", List.of("PER", "LOC", "ORG"), TagScheme.BIO, 2);
        return model;
    }

    private static List<Task> tasks(int n) {
        List<Example> data = TemplatedDataAccess.generate(n, 11);
        return List.of(Task.split("topic", data, 0.25, 3), Task.split("ner", data, 0.25, 3));
    }

    private static TrainingOptions options() {
        return TrainingOptions.defaults().withEpochs(20).withLearningRate(3e-2).withBatchSize(16).withSeed(7);
    }

    @Test
    void jointTrainingOnTemplatedDataReachesHighDevScores() throws IOException {
        MultiTaskModel model = model();
        List<BatchProgress> batches = new ArrayList<>();
        TrainingReport report = Trainer.train(model, tasks(400), options(), new TrainingListener() {
            @Override
            public void onBatch(BatchProgress progress) {
                batches.add(progress);
            }
        });
        EpochReport best = report.best();
        TaskMetrics topic = best.dev().get(0);
        TaskMetrics ner = best.dev().get(1);
        assertTrue(topic.classification().accuracy() >= 0.95, "topic accuracy " + topic.classification().accuracy());
        assertTrue(ner.entities().f1() >= 0.95, "entity F1 " + ner.entities().f1());
        // The same judged end to end, on character spans of the aggregated entities.
        List<Example> dev = tasks(400).get(1).dev();
        for (AggregationStrategy strategy : List.of(AggregationStrategy.FIRST, AggregationStrategy.AVERAGE,
                AggregationStrategy.MAX)) {
            double spanF1 = Evaluator.entitySpans(model, "ner", dev, strategy).f1();
            assertTrue(spanF1 >= 0.95, strategy + " span F1 " + spanF1);
        }
        assertEquals(report.epochs().size() * batches.getFirst().stepsInEpoch(), batches.size());
        assertEquals(batches.size(), batches.getLast().globalStep());
        // 300 training examples per task in batches of 16: 19 + 19 steps an epoch
        assertEquals(38, batches.getFirst().stepsInEpoch());
        assertTrue(report.lastEpoch().trainLoss().get("topic") < report.epochs().getFirst().trainLoss().get("topic"));
    }

    @Test
    void simpleAggregationNeedsEverySubTokenLabelled() throws IOException {
        List<Example> dev = tasks(400).get(1).dev();
        // Trained on first sub-tokens only, the fake backbone's second pieces are never taught: SIMPLE splits words.
        MultiTaskModel firstOnly = model();
        Trainer.train(firstOnly, List.of(tasks(400).get(1)), options(), TrainingListener.silent());
        double split = Evaluator.entitySpans(firstOnly, "ner", dev, AggregationStrategy.SIMPLE).f1();
        MultiTaskModel allPieces = model();
        Trainer.train(allPieces, List.of(tasks(400).get(1)), options().withLabelSubTokens(true),
                TrainingListener.silent());
        double whole = Evaluator.entitySpans(allPieces, "ner", dev, AggregationStrategy.SIMPLE).f1();
        assertTrue(split < 0.9, "SIMPLE after first-sub-token training " + split);
        assertTrue(whole >= 0.95, "SIMPLE after all-sub-token training " + whole);
    }

    @Test
    void theSameSeedGivesIdenticalWeights() throws IOException {
        MultiTaskModel a = model();
        MultiTaskModel b = model();
        Trainer.train(a, tasks(200), options().withEpochs(3), TrainingListener.silent());
        Trainer.train(b, tasks(200), options().withEpochs(3), TrainingListener.silent());
        for (String head : List.of("topic", "ner")) {
            assertArrayEquals(a.head(head).linear().weight().value(), b.head(head).linear().weight().value(), head);
            assertArrayEquals(a.head(head).linear().bias().value(), b.head(head).linear().bias().value(), head);
        }
        MultiTaskModel c = model();
        Trainer.train(c, tasks(200), options().withEpochs(3).withSeed(8), TrainingListener.silent());
        assertFalse(java.util.Arrays.equals(a.head("topic").linear().weight().value(),
                c.head("topic").linear().weight().value()));
    }

    @Test
    void aFrozenHeadKeepsItsWeightsButIsStillEvaluated() throws IOException {
        MultiTaskModel model = model();
        float[] before = model.head("ner").linear().weight().value().clone();
        TrainingReport report = Trainer.train(model, tasks(200),
                options().withEpochs(2).withFrozenHeads(Set.of("ner")), TrainingListener.silent());
        assertArrayEquals(before, model.head("ner").linear().weight().value());
        assertEquals(Set.of("topic"), report.lastEpoch().trainLoss().keySet());
        assertEquals(2, report.lastEpoch().dev().size());
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(model(), tasks(50),
                options().withFrozenHeads(Set.of("topic", "ner")), TrainingListener.silent()));
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(model(), tasks(50),
                options().withFrozenHeads(Set.of("nope")), TrainingListener.silent()));
    }

    @Test
    void aStepOfOneTaskLeavesTheOtherTasksHeadUntouched() throws IOException {
        MultiTaskModel model = model();
        java.util.Map<String, float[]> previous = new java.util.HashMap<>();
        for (String head : List.of("topic", "ner")) {
            previous.put(head, model.head(head).linear().weight().value().clone());
        }
        int[] checked = new int[1];
        Trainer.train(model, tasks(200), options().withEpochs(2).withWeightDecay(0.1), new TrainingListener() {
            @Override
            public void onBatch(BatchProgress progress) {
                for (String head : List.of("topic", "ner")) {
                    float[] now = model.head(head).linear().weight().value();
                    if (!head.equals(progress.task())) {
                        // No gradient this step: no weight decay, no stale momentum (PyTorch skips it).
                        assertArrayEquals(previous.get(head), now, head + " at step " + progress.globalStep());
                        checked[0]++;
                    }
                    previous.put(head, now.clone());
                }
            }
        });
        assertTrue(checked[0] > 10, "steps checked: " + checked[0]);
    }

    @Test
    void theFrozenTrainerSendsUnfrozenRunsToTheFineTuner() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(
                model(), tasks(50), options().withUnfreezeLayers(2), TrainingListener.silent()));
        assertTrue(e.getMessage().contains("FineTuner"), e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> FineTuner.train(
                model(), tasks(50), options().withUnfreezeLayers(2), TrainingListener.silent()));
        assertTrue(f.getMessage().contains("BERT model folder"), f.getMessage());
    }

    @Test
    void earlyStoppingStopsAndTheBestEpochIsRestored() throws IOException {
        MultiTaskModel model = model();
        List<float[]> weights = new ArrayList<>();
        // A tiny learning rate with no decay barely moves the scores: patience 1 stops after the first non-improvement.
        TrainingReport report = Trainer.train(model, List.of(tasks(200).getFirst()),
                options().withEpochs(30).withLearningRate(1.0).withWarmupRatio(0).withPatience(1),
                new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochReport r) {
                        weights.add(model.head("topic").linear().weight().value().clone());
                    }
                });
        assertTrue(report.stoppedEarly(), "a learning rate of 1.0 oscillates; it should stop early");
        assertTrue(report.epochs().size() < 30);
        assertArrayEquals(weights.get(report.bestEpoch() - 1), model.head("topic").linear().weight().value());
        assertEquals(report.best().score(), report.bestScore());
    }

    @Test
    void reportIsWrittenAsJson() throws IOException {
        TrainingReport report = Trainer.train(model(), tasks(100), options().withEpochs(2), TrainingListener.silent());
        JsonObject json = JsonParser.parseString(report.toJson()).getAsJsonObject();
        assertEquals(2, json.getAsJsonArray("epochs").size());
        JsonObject dev = json.getAsJsonArray("epochs").get(1).getAsJsonObject().getAsJsonObject("dev");
        assertTrue(dev.getAsJsonObject("topic").has("macro_f1"));
        assertTrue(dev.getAsJsonObject("ner").has("f1"));
        assertEquals("proportional", json.getAsJsonObject("options").get("sampling").getAsString());
    }

    @Test
    void aTaskWithNoBatchInAnEpochHasANullLossInStrictJson() throws IOException {
        java.util.Map<String, Double> loss = new java.util.LinkedHashMap<>();
        loss.put("topic", 0.25);
        loss.put("ner", Double.NaN); // what the trainer records for a task the sampler gave no batch
        EpochReport epoch = new EpochReport(1, loss, List.of(), Double.NaN, true, 0.5);
        String json = new TrainingReport(options(), List.of(epoch), 1, Double.NaN, false, true).toJson();
        // Gson's JsonParser accepts NaN; a strict reader, like Python's json or jq, does not.
        com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(new java.io.StringReader(json));
        reader.setStrictness(com.google.gson.Strictness.STRICT);
        JsonObject root = new com.google.gson.Gson().getAdapter(com.google.gson.JsonElement.class).read(reader)
                .getAsJsonObject();
        JsonObject trainLoss = root.getAsJsonArray("epochs").get(0).getAsJsonObject().getAsJsonObject("train_loss");
        assertEquals(0.25, trainLoss.get("topic").getAsDouble(), 0);
        assertTrue(trainLoss.has("ner") && trainLoss.get("ner").isJsonNull(), trainLoss.toString());
    }

    @Test
    void examplesWithUnknownLabelsNameTheirLine() {
        MultiTaskModel model = MultiTaskModel.on(new FakeBackbone(8, 32));
        model.addClassificationHead("topic", List.of("SPORTS"), Pooling.MEAN, 1);
        List<Example> data = List.of(new Example("a b", "SPORTS", null, 2), new Example("c d", "POLITICS", null, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(model,
                List.of(new Task("topic", data, List.of())), options(), TrainingListener.silent()));
        assertTrue(e.getMessage().startsWith("line 3: label 'POLITICS'"), e.getMessage());
    }

    @Test
    void balancedClassWeightsFollowScikitLearn() throws IOException {
        MultiTaskModel model = MultiTaskModel.on(new FakeBackbone(8, 32));
        Head head = model.addClassificationHead("c", List.of("a", "b", "unused"), Pooling.MEAN, 1);
        TaskFeatures features = new TaskFeatures(8, new float[][] {new float[8], new float[8], new float[8], new float[8]},
                new int[][] {{0}, {0}, {0}, {1}});
        double[] weights = TrainerAccess.classWeights(head, features,
                TrainingOptions.defaults().withClassWeighting(ClassWeighting.BALANCED));
        // n / (k · count): 4 / (2 · 3) and 4 / (2 · 1)
        assertArrayEquals(new double[] {4.0 / 6, 2.0, 1.0}, weights, 1e-12);
        double[] explicit = TrainerAccess.classWeights(head, features,
                TrainingOptions.defaults().withClassWeights(java.util.Map.of("c", java.util.Map.of("b", 5.0))));
        assertArrayEquals(new double[] {1, 5, 1}, explicit, 0);
        assertEquals(new LabelVocabulary(List.of("a", "b", "unused")), head.labels());
    }
}
