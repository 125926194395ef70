package org.bert4j.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.SafetensorsWriter;
import org.bert4j.safetensors.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converting a Hugging Face task checkpoint: the backbone loses its {@code bert.} prefix, the head keeps its name,
 * and config.json's labels are checked against the classifier and written in full.
 */
class TaskHeadConversionTest {

    static final int HIDDEN = 4;
    static final int INTERMEDIATE = 8;
    static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "good", "bad", "film");

    @TempDir
    Path dir;

    /** A one-layer BERT saved as transformers saves a task model: backbone under bert., head at the top level. */
    private Path checkpoint(String config, boolean pooler, int classifierRows) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(tensor("bert.embeddings.word_embeddings.weight", VOCAB.size(), HIDDEN));
        tensors.add(tensor("bert.embeddings.position_embeddings.weight", 16, HIDDEN));
        tensors.add(tensor("bert.embeddings.token_type_embeddings.weight", 2, HIDDEN));
        tensors.add(tensor("bert.embeddings.LayerNorm.weight", HIDDEN));
        tensors.add(tensor("bert.embeddings.LayerNorm.bias", HIDDEN));
        for (String p : BertLayout.LAYER_PARAMETERS) {
            String name = "bert.encoder.layer.0." + p;
            boolean bias = p.endsWith("bias");
            int rows = p.startsWith("intermediate") ? INTERMEDIATE : HIDDEN;
            int cols = p.startsWith("output.dense") ? INTERMEDIATE : HIDDEN;
            tensors.add(p.contains("LayerNorm") || bias ? tensor(name, rows) : tensor(name, rows, cols));
        }
        if (pooler) {
            tensors.add(tensor("bert.pooler.dense.weight", HIDDEN, HIDDEN));
            tensors.add(tensor("bert.pooler.dense.bias", HIDDEN));
        }
        tensors.add(tensor("classifier.weight", classifierRows, HIDDEN));
        tensors.add(tensor("classifier.bias", classifierRows));
        SafetensorsWriter.write(src.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        Files.writeString(src.resolve("config.json"), config);
        Files.write(src.resolve("vocab.txt"), VOCAB);
        return src;
    }

    private static Tensor tensor(String name, int... shape) {
        int n = 1;
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            n *= shape[i];
            dims[i] = shape[i];
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (name.hashCode() % 7 + i) * 0.01f;
        }
        return Tensor.f32(name, dims, values);
    }

    private static String config(String architecture, String labels) {
        return "{\"architectures\": [\"" + architecture + "\"], \"model_type\": \"bert\", \"num_attention_heads\": 2"
                + (labels == null ? "" : ", \"id2label\": " + labels) + "}";
    }

    private String convertError(Path src) {
        return assertThrows(ConversionException.class,
                () -> ModelConverter.convert(src, dir.resolve("out"), ConvertOptions.defaults())).getMessage();
    }

    @Test
    void aSequenceClassifierKeepsItsHeadAndWritesItsLabelsInFull() throws IOException {
        Path src = checkpoint(config("BertForSequenceClassification", "{\"1\": \"good\", \"0\": \"bad\"}"), true, 2);
        Path out = ModelConverter.convert(src, dir.resolve("out"), ConvertOptions.defaults());
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertEquals(JsonParser.parseString("{\"0\": \"bad\", \"1\": \"good\"}"), config.get("id2label"));
        assertEquals(JsonParser.parseString("{\"bad\": 0, \"good\": 1}"), config.get("label2id"));
        assertEquals(2, config.get("num_labels").getAsInt());
        assertEquals("BertForSequenceClassification", config.getAsJsonArray("architectures").get(0).getAsString());
        try (SafetensorsFile weights = SafetensorsFile.open(out.resolve("model.safetensors"));
             SafetensorsFile source = SafetensorsFile.open(src.resolve("model.safetensors"))) {
            assertTrue(weights.contains("pooler.dense.weight") && weights.contains("embeddings.word_embeddings.weight"));
            assertFalse(weights.contains("bert.pooler.dense.weight"));
            assertArrayEquals(source.readFloats("classifier.weight"), weights.readFloats("classifier.weight"));
        }
    }

    @Test
    void withoutId2labelTheClassifierMustHaveTransformersDefaultOfTwoOrNumLabels() throws IOException {
        Path src = checkpoint(config("BertForTokenClassification", null).replace("}", ", \"num_labels\": 3}"), false, 3);
        Path out = ModelConverter.convert(src, dir.resolve("out"), ConvertOptions.defaults());
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertEquals(JsonParser.parseString("{\"0\": \"LABEL_0\", \"1\": \"LABEL_1\", \"2\": \"LABEL_2\"}"),
                config.get("id2label"));
    }

    @Test
    void aClassifierThatDisagreesWithId2labelIsRefusedWithBothShapes() throws IOException {
        String message = convertError(checkpoint(config("BertForSequenceClassification", "{\"0\": \"a\", \"1\": \"b\"}"),
                true, 3));
        assertTrue(message.contains("classifier.weight") && message.contains("[3, 4]") && message.contains("[2, 4]"),
                message);
    }

    @Test
    void aSequenceClassifierWithoutItsPoolerIsRefused() throws IOException {
        String message = convertError(checkpoint(config("BertForSequenceClassification", "{\"0\": \"a\"}"), false, 1));
        assertTrue(message.contains("pooler") && message.contains("BertForSequenceClassification"), message);
    }

    @Test
    void aBrokenId2labelIsNamedWithItsFile() throws IOException {
        String message = convertError(checkpoint(config("BertForTokenClassification", "{\"0\": \"O\", \"5\": \"B-X\"}"),
                false, 2));
        assertTrue(message.contains("config.json") && message.contains("id2label") && message.contains("0 to 1"), message);
    }

    @Test
    void aCheckpointWithoutATaskArchitectureConvertsAsBefore() throws IOException {
        Path src = checkpoint(config("BertModel", null), true, 5);
        Path out = ModelConverter.convert(src, dir.resolve("out"), ConvertOptions.defaults());
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertFalse(config.has("id2label"), "no labels invented for a model that declares no head");
    }
}
