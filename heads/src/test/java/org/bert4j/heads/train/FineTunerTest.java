package org.bert4j.heads.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.bert.RandomCheckpoint;
import org.bert4j.folder.BertConfig;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.data.EntitySpan;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.ner.TagScheme;
import org.bert4j.training.ModelFolderWriter;
import org.bert4j.training.Parameter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training through a small random BERT with the real vocabulary: what the loop promises, checked on its results.
 * (The gradients themselves are checked against PyTorch in the training module's TorchOracleTest.)
 */
class FineTunerTest {

    @TempDir
    static Path dir;
    private static Path tiny;

    @BeforeAll
    static void tinyModel() throws IOException {
        tiny = Files.createDirectories(dir.resolve("tiny"));
        RandomCheckpoint.write(tiny, BertConfig.of(30522, 32, 2, 4, 40), 7, 0.05, true);
        Files.copy(BundledModels.defaultModel().resolve("vocab.txt"), tiny.resolve("vocab.txt"));
    }

    private static final String[] ANIMALS = {"cat", "dog", "horse", "goat", "lion"};
    private static final String[] CITIES = {"Paris", "Berlin", "Madrid", "Rome", "Oslo"};

    /** Animal sentences are "animal", city sentences "city"; in each, the animal or city is the entity. */
    private static List<Example> classification(int n) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean animal = i % 2 == 0;
            String word = animal ? ANIMALS[i % ANIMALS.length] : CITIES[i % CITIES.length];
            examples.add(Example.labelled("we saw the " + word + " yesterday", animal ? "animal" : "city"));
        }
        return examples;
    }

    private static List<Example> entities(int n) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String city = CITIES[i % CITIES.length];
            String text = "the train to " + city + " left early";
            int start = text.indexOf(city);
            examples.add(Example.withEntities(text, List.of(new EntitySpan(start, start + city.length(), "LOC"))));
        }
        return examples;
    }

    private static MultiTaskModel model(String kernels) throws IOException {
        BertBackbone backbone = BertBackbone.open(tiny, 16, EngineOptions.defaults().withThreads(2)
                .withKernels(kernels));
        MultiTaskModel model = MultiTaskModel.on(backbone);
        model.addClassificationHead("classification", List.of("animal", "city"), Pooling.MEAN, 3);
        model.addTokenClassificationHead("ner", List.of("LOC"), TagScheme.BIO, 4);
        return model;
    }

    private static List<Task> tasks() {
        return List.of(Task.split("classification", classification(40), 0.25, 1),
                Task.split("ner", entities(40), 0.25, 1));
    }

    private static TrainingOptions options(int unfreeze) {
        return TrainingOptions.defaults().withEpochs(4).withBatchSize(8).withLearningRate(3e-3)
                .withBackboneLearningRate(1e-3).withUnfreezeLayers(unfreeze).withPatience(0).withRestoreBest(false);
    }

    @Test
    void bothTasksLearnThroughTheSharedLayers() throws IOException {
        try (MultiTaskModel model = model("vector")) {
            FineTuner.Result result = FineTuner.train(model, tasks(), options(TrainingOptions.ALL_LAYERS)
                    .withEpochs(12).withLearningRate(1e-2).withBackboneLearningRate(3e-3), TrainingListener.silent());
            List<EpochReport> epochs = result.report().epochs();
            for (String task : List.of("classification", "ner")) {
                double first = epochs.getFirst().trainLoss().get(task);
                double last = epochs.getLast().trainLoss().get(task);
                assertTrue(last < 0.5 * first, task + ": loss " + first + " -> " + last);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameWeightsBitForBit() throws IOException {
        float[][] first = trainedWeights();
        float[][] second = trainedWeights();
        assertEquals(first.length, second.length);
        for (int p = 0; p < first.length; p++) {
            assertArrayEquals(first[p], second[p], "tensor " + p);
        }
    }

    private static float[][] trainedWeights() throws IOException {
        try (MultiTaskModel model = model("vector")) {
            FineTuner.Result result = FineTuner.train(model, tasks(), options(TrainingOptions.ALL_LAYERS).withEpochs(2),
                    TrainingListener.silent());
            List<Parameter> all = new ArrayList<>(result.backbone().allTensors());
            all.addAll(model.head("classification").parameters());
            all.addAll(model.head("ner").parameters());
            float[][] values = new float[all.size()][];
            for (int p = 0; p < values.length; p++) {
                values[p] = all.get(p).value().clone();
            }
            return values;
        }
    }

    @Test
    void unfreezingTheTopLayerLeavesTheLowerOnesAsLoaded() throws IOException {
        try (MultiTaskModel model = model("vector")) {
            FineTuner.Result result = FineTuner.train(model, tasks(), options(1).withEpochs(1),
                    TrainingListener.silent());
            BertModel loaded = ((BertBackbone) model.backbone()).model();
            Map<String, float[]> before = RandomCheckpointValues.of(tiny);
            for (Parameter p : result.backbone().allTensors()) {
                boolean trains = p.name().startsWith("encoder.layer.1.") || p.name().startsWith("pooler.");
                boolean changed = !java.util.Arrays.equals(before.get(p.name()), p.value());
                if (p.name().startsWith("pooler.")) {
                    continue; // in the optimiser, but no head reads the pooler: no gradient, no step
                }
                assertEquals(trains, changed, p.name() + (trains ? " should train" : " should stay as loaded"));
            }
            assertTrue(loaded.config().numHiddenLayers() == 2);
        }
    }

    @Test
    void theSavedBackboneLoadsAndComputesWhatTrainingEndedWith() throws IOException {
        try (MultiTaskModel model = model("vector")) {
            FineTuner.Result result = FineTuner.train(model, tasks(), options(TrainingOptions.ALL_LAYERS).withEpochs(1),
                    TrainingListener.silent());
            Path saved = dir.resolve("saved-" + System.nanoTime());
            ModelFolderWriter.write(result.backbone(), result.sourceFolder(), saved);
            assertTrue(Files.isRegularFile(saved.resolve("vocab.txt")), "the tokenizer goes with the weights");
            assertFalse(Files.exists(saved.resolveSibling("." + saved.getFileName() + ".incomplete")));
            int[][] ids = {{101, 7592, 2088, 102}, {101, 3000, 102}};
            TokenBatch batch = TokenBatch.of(ids, null);
            try (BertModel reloaded = BertModel.load(saved, EngineOptions.defaults().withThreads(2))) {
                float[] inference = reloaded.forward(batch).lastHidden();
                org.bert4j.training.Compute compute = new org.bert4j.training.Compute(
                        org.bert4j.engine.kernels.Kernels.vector(),
                        org.bert4j.engine.kernels.Kernels.vector().matMul(),
                        org.bert4j.engine.kernels.ComputePool.create(1));
                float[] training = result.backbone().forward(compute, batch, null, false).lastHidden;
                compute.pool().close();
                for (int i = 0; i < inference.length; i++) {
                    assertEquals(training[i], inference[i], 1e-4 * Math.max(1, Math.abs(training[i])), "value " + i);
                }
            }
        }
    }

    @Test
    void aRunResumedAfterAnEpochEndsWithTheWeightsOfARunThatNeverStopped() throws IOException {
        float[][] uninterrupted = trainedWeights();
        Path checkpoint = dir.resolve("checkpoint-" + System.nanoTime());
        TrainingOptions options = options(TrainingOptions.ALL_LAYERS).withEpochs(2);
        try (MultiTaskModel model = model("vector")) {
            TrainingListener stopAfterOne = new TrainingListener() {
                @Override
                public void onEpochEnd(EpochReport report) {
                    throw new IllegalStateException("interrupted after epoch " + report.epoch());
                }
            };
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> FineTuner.train(model, tasks(), options, stopAfterOne, checkpoint, false));
            assertTrue(e.getMessage().contains("epoch 1"), e.getMessage());
        }
        try (MultiTaskModel model = model("vector")) {
            FineTuner.Result result = FineTuner.train(model, tasks(), options, TrainingListener.silent(), checkpoint,
                    true);
            assertEquals(2, result.report().epochs().size(), "the resumed run reports both epochs");
            List<Parameter> all = new ArrayList<>(result.backbone().allTensors());
            all.addAll(model.head("classification").parameters());
            all.addAll(model.head("ner").parameters());
            assertEquals(uninterrupted.length, all.size());
            for (int p = 0; p < all.size(); p++) {
                assertArrayEquals(uninterrupted[p], all.get(p).value(), all.get(p).name());
            }
        }
    }
}
