package org.bert4j.folder;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskConfigTest {

    @TempDir
    Path dir;

    private static TaskConfig parse(String json) {
        return TaskConfig.fromJson(JsonParser.parseString(json).getAsJsonObject());
    }

    private static String error(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    @Test
    void id2labelKeysAreOutputIndicesWhateverTheirOrderInTheFile() {
        TaskConfig c = parse("""
                {"architectures": ["BertForTokenClassification"], "id2label": {"2": "I-PER", "0": "O", "1": "B-PER"},
                 "label2id": {"O": 0, "B-PER": 1, "I-PER": 2}}""");
        assertEquals(List.of("O", "B-PER", "I-PER"), c.labels());
        assertEquals(3, c.numLabels());
        assertEquals(TaskConfig.TOKEN_CLASSIFICATION, c.taskArchitecture());
        assertNull(c.problemType());
    }

    @Test
    void withoutId2labelTransformersNamesNumLabelsLabels() {
        assertEquals(List.of("LABEL_0", "LABEL_1"), parse("{}").labels(), "PretrainedConfig's default: 2 labels");
        assertEquals(List.of("LABEL_0"), parse("{\"num_labels\": 1}").labels());
        assertNull(parse("{\"architectures\": [\"BertModel\"]}").taskArchitecture());
    }

    @Test
    void id2labelWinsOverAStaleNumLabelsAsInTransformers() {
        assertEquals(List.of("a", "b", "c"), parse("{\"num_labels\": 2, \"id2label\": {\"0\": \"a\", \"1\": \"b\", \"2\": \"c\"}}").labels());
    }

    @Test
    void malformedTaskFieldsAreNamed() {
        assertTrue(error("{\"id2label\": {\"0\": \"a\", \"2\": \"b\"}}").contains("0 to 1"));
        assertTrue(error("{\"id2label\": {\"zero\": \"a\"}}").contains("\"zero\" is not an output index"));
        assertTrue(error("{\"id2label\": {\"0\": 5}}").contains("must be a string"));
        assertTrue(error("{\"id2label\": {}}").contains("at least one label"));
        assertTrue(error("{\"problem_type\": \"multilabel\"}").contains("multi_label_classification"));
        assertTrue(error("{\"num_labels\": 0}").contains("num_labels"));
        assertTrue(error("{\"architectures\": \"BertForSequenceClassification\"}").contains("list"));
        TaskConfig both = parse("{\"architectures\": [\"BertForSequenceClassification\", \"BertForTokenClassification\"]}");
        assertThrows(IllegalArgumentException.class, both::taskArchitecture);
    }

    @Test
    void readNamesTheFile() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"problem_type\": \"ranking\"}");
        IOException e = assertThrows(IOException.class, () -> TaskConfig.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("ranking"), e.getMessage());
    }

    @Test
    void writeLabelsWritesWhatTransformersReadsBack() {
        JsonObject out = new JsonObject();
        parse("{\"id2label\": {\"1\": \"pos\", \"0\": \"neg\"}}").writeLabels(out);
        assertEquals(JsonParser.parseString("""
                {"id2label": {"0": "neg", "1": "pos"}, "label2id": {"neg": 0, "pos": 1}, "num_labels": 2}"""), out);
        assertEquals(List.of("neg", "pos"), TaskConfig.fromJson(out).labels());
    }

    @Test
    void crossEncoderActivationIsFoundWhereEachSentenceTransformersVersionWroteIt() throws IOException {
        assertEquals(Optional.empty(), CrossEncoderConfig.read(dir));
        Files.writeString(dir.resolve("config.json"), "{\"sbert_ce_default_activation_function\": \"torch.nn.modules.linear.Identity\"}");
        assertEquals("torch.nn.modules.linear.Identity", CrossEncoderConfig.read(dir).orElseThrow().activationFn());
        Files.writeString(dir.resolve("config.json"), """
                {"sbert_ce_default_activation_function": "torch.nn.modules.linear.Identity",
                 "sentence_transformers": {"activation_fn": "torch.nn.modules.activation.Tanh", "version": "4.0.1"}}""");
        CrossEncoderConfig v4 = CrossEncoderConfig.read(dir).orElseThrow();
        assertEquals("torch.nn.modules.activation.Tanh", v4.activationFn());
        assertTrue(v4.declaredIn().endsWith("sentence_transformers.activation_fn"), v4.declaredIn());
        Files.writeString(dir.resolve("config_sentence_transformers.json"), "{\"activation_fn\": \"torch.nn.modules.activation.Sigmoid\"}");
        assertEquals("torch.nn.modules.activation.Sigmoid", CrossEncoderConfig.read(dir).orElseThrow().activationFn());
        Files.writeString(dir.resolve("config_sentence_transformers.json"), "{\"activation_fn\": 3}");
        IOException e = assertThrows(IOException.class, () -> CrossEncoderConfig.read(dir));
        assertTrue(e.getMessage().contains("activation_fn"), e.getMessage());
    }
}
