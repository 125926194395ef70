package org.bert4j.folder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config_sentence_transformers.json as sentence-transformers writes it, and the mistakes a hand-edited one makes. */
class EncodeConfigTest {

    @TempDir
    Path dir;

    @Test
    void aFolderWithoutTheFileHasNoPrompts() throws IOException {
        assertSame(EncodeConfig.NONE, EncodeConfig.read(dir));
    }

    @Test
    void readsPromptsInOrderTheDefaultPromptAndTheSimilarityFunction() throws IOException {
        // The shape sentence-transformers 3+ saves (e5-style prompts).
        write("""
                {"__version__": {"sentence_transformers": "3.0.1", "transformers": "4.41.2", "pytorch": "2.3.0"},
                 "prompts": {"query": "query: ", "passage": "passage: "},
                 "default_prompt_name": "query", "similarity_fn_name": "dot"}""");
        EncodeConfig config = EncodeConfig.read(dir);
        assertEquals(List.of("query", "passage"), List.copyOf(config.prompts().keySet()));
        assertEquals("passage: ", config.prompts().get("passage"));
        assertEquals("query", config.defaultPromptName());
        assertEquals("dot", config.similarityFnName());
    }

    @Test
    void nullAndMissingFieldsMeanNone() throws IOException {
        write("{\"prompts\": {}, \"default_prompt_name\": null, \"similarity_fn_name\": null}");
        EncodeConfig config = EncodeConfig.read(dir);
        assertEquals(Map.of(), config.prompts());
        assertNull(config.defaultPromptName());
        assertNull(config.similarityFnName());
    }

    @Test
    void wrongTypesAndUnknownFunctionsAreErrorsNamingFileAndField() throws IOException {
        for (String[] bad : new String[][] {
                {"{\"prompts\": [\"query: \"]}", "\"prompts\" must be an object"},
                {"{\"prompts\": {\"query\": 1}}", "prompt \"query\" must be a string"},
                {"{\"default_prompt_name\": 3}", "default_prompt_name must be a string"},
                {"{\"similarity_fn_name\": \"jaccard\"}", "similarity_fn_name \"jaccard\" is not one of"},
                {"[1]", "expected a JSON object"}}) {
            write(bad[0]);
            IOException e = assertThrows(IOException.class, () -> EncodeConfig.read(dir), bad[0]);
            assertTrue(e.getMessage().contains(EncodeConfig.FILE) && e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    @Test
    void includePromptDefaultsToTrueAndIsReadFromThePoolingConfig() throws IOException {
        assertTrue(SentenceTransformerConfig.readIncludePrompt(dir));
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"pooling_mode_mean_tokens\": true, \"include_prompt\": false}");
        assertFalse(SentenceTransformerConfig.readIncludePrompt(dir));
        Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"include_prompt\": \"no\"}");
        IOException e = assertThrows(IOException.class, () -> SentenceTransformerConfig.readIncludePrompt(dir));
        assertTrue(e.getMessage().contains("include_prompt must be true or false"), e.getMessage());
    }

    private void write(String json) throws IOException {
        Files.writeString(dir.resolve(EncodeConfig.FILE), json);
    }
}
