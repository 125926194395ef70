package org.bert4j.heads.train;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.EngineOptions;
import org.bert4j.folder.Pooling;
import org.bert4j.engine.bert.RandomCheckpoint;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.Head;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.data.Example;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class FeatureStoreTest {

    @TempDir
    Path dir;

    static final List<Example> EXAMPLES = List.of(new Example("the cat sat", "a", null, 1),
            new Example("the dog ran", "b", null, 2));

    /** A random 16-wide model (seed decides its weights) with a tiny vocabulary, written into {@code folder}. */
    static void writeModel(Path folder, long seed) throws Exception {
        RandomCheckpoint.write(folder, BertConfig.of(16, 16, 1, 2, 32), seed, 0.5, false);
        Files.writeString(folder.resolve("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\ncat\nsat\ndog\nran\n");
    }

    static float[] features(Path model, FeatureStore store) throws Exception {
        try (BertBackbone backbone = BertBackbone.open(model, 16, EngineOptions.defaults())) {
            Head head = MultiTaskModel.on(backbone).addClassificationHead("c", List.of("a", "b"), Pooling.MEAN, 1);
            TaskFeatures features = FeatureExtractor.extract(backbone,
                    List.of(new FeatureExtractor.Request(head, EXAMPLES)), 8, store, (done, total) -> { }).getFirst();
            float[] flat = new float[features.rows() * features.width()];
            for (int e = 0; e < features.size(); e++) {
                System.arraycopy(features.inputs()[e], 0, flat, e * features.width(), features.inputs()[e].length);
            }
            return flat;
        }
    }

    @Test
    void aModelReconvertedIntoTheSameFolderIsNotServedTheOldFeatures() throws Exception {
        Path model = dir.resolve("model");
        FeatureStore store = new FeatureStore(dir.resolve("features"));
        writeModel(model, 1);
        float[] first = features(model, store);
        assertArrayEquals(first, features(model, store), "the same model is served from the store");
        try (var files = Files.list(dir.resolve("features"))) {
            assertEquals(1, files.count());
        }

        // Another model into the same path: same config, so the weights file has the same size.
        Path weights = model.resolve("model.safetensors");
        FileTime before = Files.getLastModifiedTime(weights);
        long size = Files.size(weights);
        writeModel(model, 2);
        assertEquals(size, Files.size(weights));
        if (!Files.getLastModifiedTime(weights).toInstant().isAfter(before.toInstant())) {
            // A file system with coarse timestamps: a real re-conversion takes longer than one tick.
            Files.setLastModifiedTime(weights, FileTime.from(before.toInstant().plusSeconds(2)));
        }
        float[] fresh = features(model, null);
        float[] cached = features(model, store);
        assertNotEquals(first[0], fresh[0], "the two random models give different features");
        // Up to the last bits: one of the two forwards may run on the engine's cold-start scalar kernels.
        assertArrayEquals(fresh, cached, 1e-5f, "the new model's features, not the old model's");
    }

    @Test
    void featuresAnotherBuildOfTheCodeComputedAreNotServed() throws Exception {
        Path model = dir.resolve("model");
        writeModel(model, 3);
        Path folder = dir.resolve("features");
        try (BertBackbone backbone = BertBackbone.open(model, 16, EngineOptions.defaults())) {
            Head head = MultiTaskModel.on(backbone).addClassificationHead("c", List.of("a", "b"), Pooling.MEAN, 1);
            FeatureExtractor.Request request = new FeatureExtractor.Request(head, EXAMPLES);
            FeatureStore before = new FeatureStore(folder, "engine as it was");
            FeatureExtractor.extract(backbone, List.of(request), 8, before, (done, total) -> { });
            org.junit.jupiter.api.Assertions.assertNotNull(before.read(backbone, request), "the same code is served");
            assertEquals(null, new FeatureStore(folder, "engine after a change").read(backbone, request),
                    "a changed engine computes its own features");
        }
    }
}
