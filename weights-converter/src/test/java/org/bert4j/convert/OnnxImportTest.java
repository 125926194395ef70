package org.bert4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.bert4j.convert.onnx.OnnxModel;
import org.bert4j.safetensors.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ONNX importer on small hand-built graphs: every storage variant, naming fallbacks, heads, hostile files. */
class OnnxImportTest {

    @TempDir
    Path tmp;

    private static void assertConvertedExactly(TinyBertOnnx tiny, Path out) throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertEquals(tiny.expected.keySet(), new java.util.TreeSet<>(st.tensors().stream().map(t -> t.name()).toList()));
            for (Map.Entry<String, float[]> e : tiny.expected.entrySet()) {
                assertTrue(Arrays.equals(tiny.expectedShapes.get(e.getKey()), st.info(e.getKey()).shape()), e.getKey() + " shape");
                float[] got = st.readFloats(e.getKey());
                for (int i = 0; i < got.length; i++) {
                    assertEquals(Float.floatToRawIntBits(e.getValue()[i]), Float.floatToRawIntBits(got[i]), e.getKey() + "[" + i + "]");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TinyBertOnnx.Storage.class)
    void everyWayOnnxStoresFloatsGivesTheSameExactTensors(TinyBertOnnx.Storage storage) throws IOException {
        TinyBertOnnx tiny = new TinyBertOnnx();
        tiny.storage = storage;
        Path model = tiny.write(tmp.resolve("src"));
        Path out = ModelConverter.convert(model, tmp.resolve("out"), ConvertOptions.defaults());
        assertConvertedExactly(tiny, out);
        var config = TestModels.json(out.resolve("config.json"));
        assertEquals(2, config.get("num_attention_heads").getAsInt());
        assertEquals(1, config.get("num_hidden_layers").getAsInt());
        assertEquals(8, config.get("intermediate_size").getAsInt());
        assertEquals(1e-12, config.get("layer_norm_eps").getAsDouble());
        assertEquals("gelu", config.get("hidden_act").getAsString());
        assertEquals("[PAD]", Files.readAllLines(out.resolve("vocab.txt")).getFirst());
        assertFalse(Files.exists(out.resolve("modules.json")), "an unknown model's pooling is not invented");
    }

    @Test
    void weightsHeldInConstantNodesAreFound() throws IOException {
        TinyBertOnnx tiny = new TinyBertOnnx();
        tiny.weightsInConstantNodes = true;
        assertConvertedExactly(tiny, ModelConverter.convert(tiny.write(tmp.resolve("src")), tmp.resolve("out"), ConvertOptions.defaults()));
    }

    @Test
    void unscopedMatMulNodesAreNamedByTheBiasAddedToTheirOutput() throws IOException {
        TinyBertOnnx tiny = new TinyBertOnnx();
        tiny.scopedNodeNames = false;
        assertConvertedExactly(tiny, ModelConverter.convert(tiny.write(tmp.resolve("src")), tmp.resolve("out"), ConvertOptions.defaults()));
    }

    @Test
    void headsComeFromTheGraphOrTheFlagAndAreNeverGuessed() throws IOException {
        TinyBertOnnx noReshape = new TinyBertOnnx();
        noReshape.headsReshape = false;
        Path model = noReshape.write(tmp.resolve("src"));
        ConversionException e = assertThrows(ConversionException.class,
                () -> ModelConverter.convert(model, tmp.resolve("out"), ConvertOptions.defaults()));
        assertTrue(e.getMessage().contains("--heads") && e.getMessage().contains(model.toString()), e.getMessage());
        Path out = ModelConverter.convert(model, tmp.resolve("out"), ConvertOptions.defaults().withNumAttentionHeads(4));
        assertEquals(4, TestModels.json(out.resolve("config.json")).get("num_attention_heads").getAsInt());

        Path withReshape = new TinyBertOnnx().write(tmp.resolve("src2"));
        ConversionException conflict = assertThrows(ConversionException.class,
                () -> ModelConverter.convert(withReshape, tmp.resolve("out2"), ConvertOptions.defaults().withNumAttentionHeads(4)));
        assertTrue(conflict.getMessage().contains("contradicts"), conflict.getMessage());
    }

    @Test
    void externalDataMayNotLeaveTheModelFolder() throws IOException {
        for (String location : new String[] {"../weights.bin", "/etc/passwd"}) {
            TinyBertOnnx tiny = new TinyBertOnnx();
            tiny.storage = TinyBertOnnx.Storage.EXTERNAL;
            tiny.externalLocation = location;
            Path model = tiny.write(tmp.resolve("evil" + location.length()));
            ConversionException e = assertThrows(ConversionException.class, () -> OnnxModel.read(model).close());
            assertTrue(e.getMessage().contains("leaves the model's folder"), e.getMessage());
        }
    }

    @Test
    void anExternalDataLocationThatIsNoPathIsRefused() throws IOException {
        // A NUL byte in the location: InvalidPathException escaped (found by OnnxFuzzTest, crash-cb3d85b5...).
        TinyBertOnnx tiny = new TinyBertOnnx();
        tiny.storage = TinyBertOnnx.Storage.EXTERNAL;
        tiny.externalLocation = "weights\0.bin";
        Path model = tiny.write(tmp.resolve("nul"));
        ConversionException e = assertThrows(ConversionException.class, () -> OnnxModel.read(model).close());
        assertTrue(e.getMessage().contains("external data location 'weights\\0.bin' is not a valid path"), e.getMessage());
    }

    @Test
    void truncatedOrGarbageFilesAreRefusedNamingTheFile() throws IOException {
        Path model = new TinyBertOnnx().write(tmp.resolve("src"));
        byte[] bytes = Files.readAllBytes(model);
        Path cut = Files.write(tmp.resolve("cut.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
        ConversionException e = assertThrows(ConversionException.class, () -> OnnxModel.read(cut).close());
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        Path text = Files.writeString(tmp.resolve("text.onnx"), "this is not a model\n");
        assertThrows(ConversionException.class, () -> OnnxModel.read(text).close());
    }

    /** Random corruption: either the model still converts, or a ConversionException says why; nothing else escapes. */
    @Test
    void randomlyCorruptedModelsFailOnlyWithConversionException() throws IOException {
        byte[] original = Files.readAllBytes(new TinyBertOnnx().write(tmp.resolve("src")));
        Random random = new Random(3);
        int refused = 0;
        for (int round = 0; round < 400; round++) {
            byte[] bytes = original.clone();
            for (int i = 0; i < 1 + random.nextInt(4); i++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            try (OnnxModel m = OnnxModel.read("mutant-" + round, bytes)) {
                OnnxConversion.read(m, ConvertOptions.defaults());
            } catch (ConversionException expected) {
                assertTrue(expected.getMessage().contains("mutant-" + round), expected.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 100, "most corruptions are detected: " + refused);
    }

    @Test
    void aMatMulWeightWithMoreRowsThanAnIntCountsIsRefused() throws IOException {
        // Transposing it threw ArithmeticException (Math.toIntExact of 2^40), not a ConversionException.
        TinyBertOnnx flat = new TinyBertOnnx();
        flat.hugeEmptyMatMulWeights = true;
        Path model = flat.write(tmp.resolve("flat"));
        ConversionException e = assertThrows(ConversionException.class,
                () -> ModelConverter.convert(model, tmp.resolve("out"), ConvertOptions.defaults()));
        assertTrue(e.getMessage().contains("has shape [1099511627776, 0], not a matrix [in, out] that fits"), e.getMessage());
    }

    @Test
    void aGraphWhoseSettingsNoBertHasIsRefused() throws IOException {
        // A negative LayerNorm epsilon: BertConfig's IllegalArgumentException escaped (found by OnnxFuzzTest,
        // crash-4ad42862...).
        TinyBertOnnx negative = new TinyBertOnnx();
        negative.layerNormEps = -4.4e12f;
        Path model = negative.write(tmp.resolve("eps"));
        ConversionException e = assertThrows(ConversionException.class,
                () -> ModelConverter.convert(model, tmp.resolve("out"), ConvertOptions.defaults()));
        assertTrue(e.getMessage().contains("the graph describes no valid BERT") && e.getMessage().contains("layer_norm_eps"),
                e.getMessage());
    }

    @Test
    void aFailedConversionLeavesNothingBehindAndAnExistingFolderIsKept() throws IOException {
        Path src = tmp.resolve("src");
        Path model = new TinyBertOnnx().write(src);
        // A failure in the middle of writing the weights (a disk filling up, say; here the progress listener throws).
        ConvertOptions failing = ConvertOptions.defaults().withProgress((step, done, total) -> {
            if (step.equals("writing") && done > 0) {
                throw new java.io.UncheckedIOException(new IOException("No space left on device"));
            }
        });
        Path out = tmp.resolve("out");
        assertThrows(java.io.UncheckedIOException.class, () -> ModelConverter.convert(model, out, failing));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(java.util.List.of("src"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
        ModelConverter.convert(model, out, ConvertOptions.defaults());
        ConversionException exists = assertThrows(ConversionException.class, () -> ModelConverter.convert(model, out, ConvertOptions.defaults()));
        assertTrue(exists.getMessage().contains("already exists"));
        ModelConverter.convert(model, out, ConvertOptions.defaults().withOverwrite(true));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(java.util.List.of("out", "src"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
