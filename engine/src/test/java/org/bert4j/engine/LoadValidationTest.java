package org.bert4j.engine;

import org.bert4j.folder.BertConfig;
import org.bert4j.engine.bert.RandomCheckpoint;
import org.bert4j.safetensors.FloatFormats;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.SafetensorsWriter;
import org.bert4j.safetensors.Tensor;
import org.bert4j.safetensors.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model folder whose weights do not match its config fails at load, naming the tensor; bad ids fail at forward. */
class LoadValidationTest {

    @TempDir
    Path dir;

    /**
     * The checkpoint has 2 layers. More in config.json would fail at the first missing tensor (an absurd count
     * only after trying to allocate for it); fewer would load silently as a truncated model.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, Integer.MAX_VALUE})
    void aConfigWhoseLayerCountDiffersFromTheCheckpointFailsAtLoadNamingBoth(int layers) throws IOException {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        BertConfig other = BertConfig.of(c.vocabSize(), c.hiddenSize(), layers, c.numAttentionHeads(), c.intermediateSize());
        Files.writeString(dir.resolve("config.json"), other.toJson().toString());
        IOException e = assertThrows(IOException.class, () -> BertModel.load(dir));
        assertTrue(e.getMessage().contains("num_hidden_layers is " + layers)
                && e.getMessage().contains("encoder.layer.1 (2 layers)")
                && e.getMessage().contains("model.safetensors"), e.getMessage());
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
            assertTrue(model.repackMillis() > 0, model.toString());
        }
    }

    @Test
    void autoReportsThePanelsItPacksOnFirstUseAndTheirTime() throws Exception {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, false);
        long h = c.hiddenSize();
        long projections = c.numHiddenLayers() * (4 * h * h + 2 * h * c.intermediateSize()) * Float.BYTES;
        long stacks = c.numHiddenLayers() * 3 * h * h * Float.BYTES;
        try (BertModel model = BertModel.load(dir, EngineOptions.defaults().withGemm("auto"))) {
            // Until a batch of few rows needs the vector GEMM, only the fused Q/K/V stacks are copies.
            assertEquals(stacks, model.packedWeightBytes());
            double atLoad = model.repackMillis();
            TokenBatch small = TokenBatch.of(new int[][] {{1, 2, 3}}, null);
            model.forward(small);   // a few rows: the vector GEMM, on panels packed now
            // Panels hold every projection, padded to whole panels: at least the weights, far less than twice them.
            long panels = model.packedWeightBytes() - stacks;
            assertTrue(panels >= projections && panels < 2 * projections, panels + " vs " + projections);
            assertTrue(model.repackMillis() > atLoad, model.toString());
            assertTrue(model.toString().contains("weights repacked: "), model.toString());
        }
    }

    @Test
    void halfPrecisionWeightsAreConvertedOnceAndComputeAsTheirF32Values() throws IOException {
        BertConfig c = TinyModels.config();
        Path original = TinyModels.write(dir.resolve("original"), c, true);
        // The same values twice: stored as F16, and as F32 (the F16 values widened), so both models hold equal weights.
        List<Tensor> half = new ArrayList<>();
        List<Tensor> widened = new ArrayList<>();
        try (SafetensorsFile file = SafetensorsFile.open(original.resolve("model.safetensors"))) {
            for (TensorInfo t : file.tensors()) {
                float[] values = file.readFloats(t.name());
                for (int i = 0; i < values.length; i++) {
                    values[i] = FloatFormats.f16ToFloat(FloatFormats.floatToF16(values[i]));
                }
                half.add(Tensor.f16(t.name(), t.shape(), values));
                widened.add(Tensor.f32(t.name(), t.shape(), values));
            }
        }
        Path f16 = Files.createDirectories(dir.resolve("f16"));
        Path f32 = Files.createDirectories(dir.resolve("f32"));
        for (Path d : List.of(f16, f32)) {
            Files.copy(original.resolve("config.json"), d.resolve("config.json"));
        }
        SafetensorsWriter.write(f16.resolve("model.safetensors"), half, Map.of("format", "pt"));
        SafetensorsWriter.write(f32.resolve("model.safetensors"), widened, Map.of("format", "pt"));
        int[][] ids = TinyModels.randomSequences(3, 4, 20, c.vocabSize());
        for (String gemm : List.of("openblas", "java")) {
            EngineOptions options = EngineOptions.defaults().withGemm(gemm);
            try (BertModel halfModel = BertModel.load(f16, options); BertModel fullModel = BertModel.load(f32, options)) {
                BertModelOutput a = halfModel.forward(TokenBatch.of(ids, null));
                BertModelOutput b = fullModel.forward(TokenBatch.of(ids, null));
                assertArrayEquals(b.lastHidden(), a.lastHidden(), gemm);
                // F16 tensors are widened into copies, F32 ones read in place: the word table, and for OpenBLAS
                // (which reads F32 projections in place) every projection not already copied into the Q/K/V stack.
                long h = c.hiddenSize();
                long extra = c.vocabSize() * h;
                if (gemm.equals("openblas")) {
                    extra += c.numHiddenLayers() * (h * h + 2 * h * c.intermediateSize()) + h * h;   // + pooler
                }
                assertEquals(extra * Float.BYTES, halfModel.packedWeightBytes() - fullModel.packedWeightBytes(),
                        halfModel + " vs " + fullModel);
            }
        }
    }
}
