package org.bert4j.folder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BertConfigTest {

    @TempDir
    Path dir;

    private static final String MINILM = """
            {"_name_or_path": "nreimers/MiniLM-L6-H384-uncased", "architectures": ["BertModel"],
             "attention_probs_dropout_prob": 0.1, "gradient_checkpointing": false, "hidden_act": "gelu",
             "hidden_dropout_prob": 0.1, "hidden_size": 384, "initializer_range": 0.02, "intermediate_size": 1536,
             "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 12,
             "num_hidden_layers": 6, "pad_token_id": 0, "position_embedding_type": "absolute",
             "transformers_version": "4.8.2", "type_vocab_size": 2, "use_cache": true, "vocab_size": 30522}
            """;

    private Path write(String json) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void readsEveryFieldOfAHuggingFaceConfig() throws IOException {
        BertConfig c = BertConfig.read(write(MINILM));
        assertEquals(new BertConfig("bert", 30522, 384, 6, 12, 1536, "gelu", 512, 2, 1e-12, 0, "absolute", 0.1, 0.1, 0.02), c);
        assertEquals(32, c.headDim());
    }

    @Test
    void optionalFieldsTakeHuggingFaceDefaults() throws IOException {
        BertConfig c = BertConfig.read(write("""
                {"vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 16}
                """));
        assertEquals("gelu", c.hiddenAct());
        assertEquals(512, c.maxPositionEmbeddings());
        assertEquals(2, c.typeVocabSize());
        assertEquals(1e-12, c.layerNormEps());
    }

    @Test
    void roundTripsThroughToJson() throws IOException {
        BertConfig c = BertConfig.of(100, 32, 2, 4, 64).withHiddenAct("relu");
        assertEquals(c, BertConfig.read(write(c.toJson().toString())));
    }

    @Test
    void missingSizeFieldIsNamed() throws IOException {
        Path file = write(MINILM.replace("\"hidden_size\": 384,", ""));
        IOException e = assertThrows(IOException.class, () -> BertConfig.read(file));
        assertTrue(e.getMessage().contains("hidden_size") && e.getMessage().contains("config.json"), e.getMessage());
    }

    @Test
    void mistypedFieldIsNamed() throws IOException {
        Path file = write(MINILM.replace("\"num_hidden_layers\": 6", "\"num_hidden_layers\": \"six\""));
        IOException e = assertThrows(IOException.class, () -> BertConfig.read(file));
        assertTrue(e.getMessage().contains("num_hidden_layers"), e.getMessage());
    }

    @Test
    void unknownActivationIsRejected() throws IOException {
        Path file = write(MINILM.replace("\"hidden_act\": \"gelu\"", "\"hidden_act\": \"swish\""));
        IOException e = assertThrows(IOException.class, () -> BertConfig.read(file));
        assertTrue(e.getMessage().contains("hidden_act") && e.getMessage().contains("swish"), e.getMessage());
    }

    @Test
    void hiddenSizeMustSplitIntoHeads() throws IOException {
        Path file = write(MINILM.replace("\"num_attention_heads\": 12", "\"num_attention_heads\": 5"));
        IOException e = assertThrows(IOException.class, () -> BertConfig.read(file));
        assertTrue(e.getMessage().contains("num_attention_heads"), e.getMessage());
    }

    @Test
    void relativePositionEmbeddingsAreRejectedNotIgnored() throws IOException {
        Path file = write(MINILM.replace("\"absolute\"", "\"relative_key\""));
        IOException e = assertThrows(IOException.class, () -> BertConfig.read(file));
        assertTrue(e.getMessage().contains("position_embedding_type"), e.getMessage());
    }

    @Test
    void anEpsilonThatAFloatCannotHoldIsRejectedAtLoad() throws IOException {
        // 1e-50 is positive as a double but 0 as the float LayerNorm computes with.
        for (String eps : new String[] {"1e-50", "0", "-1e-12", "1e300"}) {
            Path file = write(MINILM.replace("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": " + eps));
            IOException e = assertThrows(IOException.class, () -> BertConfig.read(file), eps);
            assertTrue(e.getMessage().contains("layer_norm_eps") && e.getMessage().contains("config.json"),
                    e.getMessage());
        }
        assertEquals(1e-12, BertConfig.read(write(MINILM)).layerNormEps());
    }

    @Test
    void notJsonIsAClearError() throws IOException {
        Path file = write("{ not json");
        IOException e = assertThrows(IOException.class, () -> BertConfig.read(file));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }
}
