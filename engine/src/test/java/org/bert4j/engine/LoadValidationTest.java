package org.bert4j.engine;

import org.bert4j.engine.bert.RandomCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model folder whose weights do not match its config fails at load, naming the tensor; bad ids fail at forward. */
class LoadValidationTest {

    @TempDir
    Path dir;

    @Test
    void aConfigWithMoreLayersThanTheCheckpointNamesTheMissingTensor() throws IOException {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        BertConfig deeper = BertConfig.of(c.vocabSize(), c.hiddenSize(), 3, c.numAttentionHeads(), c.intermediateSize());
        Files.writeString(dir.resolve("config.json"), deeper.toJson().toString());
        IOException e = assertThrows(IOException.class, () -> BertModel.load(dir));
        assertTrue(e.getMessage().contains("num_hidden_layers is 3") && e.getMessage().contains("encoder.layer.1 (2 layers)"),
                e.getMessage());
    }

    @Test
    void aConfigWithFewerLayersThanTheCheckpointIsAnErrorNotATruncatedModel() throws IOException {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        BertConfig shallower = BertConfig.of(c.vocabSize(), c.hiddenSize(), 1, c.numAttentionHeads(), c.intermediateSize());
        Files.writeString(dir.resolve("config.json"), shallower.toJson().toString());
        IOException e = assertThrows(IOException.class, () -> BertModel.load(dir));
        assertTrue(e.getMessage().contains("num_hidden_layers is 1") && e.getMessage().contains("model.safetensors"),
                e.getMessage());
    }

    @Test
    void anAbsurdLayerCountIsACleanErrorNotAnOutOfMemoryError() throws IOException {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        BertConfig absurd = BertConfig.of(c.vocabSize(), c.hiddenSize(), Integer.MAX_VALUE, c.numAttentionHeads(),
                c.intermediateSize());
        Files.writeString(dir.resolve("config.json"), absurd.toJson().toString());
        IOException e = assertThrows(IOException.class, () -> BertModel.load(dir));
        assertTrue(e.getMessage().contains("num_hidden_layers is " + Integer.MAX_VALUE), e.getMessage());
    }

    @Test
    void aWrongShapeNamesTheTensorAndBothShapes() throws IOException {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        BertConfig wider = BertConfig.of(c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(), 128);
        Files.writeString(dir.resolve("config.json"), wider.toJson().toString());
        IOException e = assertThrows(IOException.class, () -> BertModel.load(dir));
        assertTrue(e.getMessage().contains("encoder.layer.0.intermediate.dense.weight")
                && e.getMessage().contains("[64, 32]") && e.getMessage().contains("[128, 32]"), e.getMessage());
    }

    @Test
    void aMissingFolderOrWeightsFileIsAClearError() throws IOException {
        IOException e = assertThrows(IOException.class, () -> BertModel.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), TinyModels.config().toJson().toString());
        e = assertThrows(IOException.class, () -> BertModel.load(dir));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void idsOutsideTheVocabularyAndOverlongSequencesAreRejectedWithTheirPosition() throws IOException {
        BertConfig c = TinyModels.config();
        RandomCheckpoint.write(dir, c, 1, 0.1, false);
        try (BertModel model = BertModel.load(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(TokenBatch.of(new int[][] {{1, 2}, {3, 100}}, null)));
            assertTrue(e.getMessage().contains("sequence 1, token 1") && e.getMessage().contains("100"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(TokenBatch.of(new int[][] {new int[513]}, null)));
            assertTrue(e.getMessage().contains("max_position_embeddings"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(TokenBatch.of(new int[][] {{1, 2}}, new int[][] {{0, 2}})));
            assertTrue(e.getMessage().contains("token type"), e.getMessage());
        }
    }

    @Test
    void loadReportsItsTimeAndTheWeightBytesTheBackendCopied() throws IOException {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        long h = c.hiddenSize();
        try (BertModel model = BertModel.load(dir, EngineOptions.defaults().withGemm("openblas"))) {
            // OpenBLAS reads the mapped weights in place: only the fused Q/K/V stacks are copies.
            assertEquals(c.numHiddenLayers() * 3 * h * h * Float.BYTES, model.packedWeightBytes());
            assertTrue(model.toString().contains("loaded in"), model.toString());
        }
        try (BertModel model = BertModel.load(dir, EngineOptions.defaults().withGemm("java"))) {
            long projections = c.numHiddenLayers() * (4 * h * h + 2 * h * c.intermediateSize()) * Float.BYTES;
            assertTrue(model.packedWeightBytes() >= projections, model.toString());
        }
    }
}
