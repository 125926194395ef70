package org.bert4j.folder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentenceTransformerConfigTest {

    @Test
    void namesParseInAnyCase() {
        assertEquals(Pooling.MEAN, Pooling.fromName("Mean"));
        assertThrows(IllegalArgumentException.class, () -> Pooling.fromName("sum"));
    }

    @Test
    void readsTheModeFromSentenceTransformersPoolingConfig(@TempDir Path dir) throws IOException {
        assertEquals(Optional.empty(), SentenceTransformerConfig.readPooling(dir));
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), """
                {"word_embedding_dimension": 384, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false,
                 "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}""");
        assertEquals(Optional.of(Pooling.CLS), SentenceTransformerConfig.readPooling(dir));
    }

    @Test
    void unsupportedPoolingModeIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), """
                {"pooling_mode_cls_token": false, "pooling_mode_mean_tokens": false, "pooling_mode_mean_sqrt_len_tokens": true}""");
        IOException e = assertThrows(IOException.class, () -> SentenceTransformerConfig.readPooling(dir));
        assertTrue(e.getMessage().contains("pooling_mode_mean_sqrt_len_tokens"), e.getMessage());
    }

    @Test
    void writtenModulesReadBackAsWritten(@TempDir Path dir) throws IOException {
        new SentenceTransformerConfig(Pooling.MAX, true, 128).write(dir, 32);
        assertEquals(Optional.of(Pooling.MAX), SentenceTransformerConfig.readPooling(dir));
        assertTrue(SentenceTransformerConfig.readNormalize(dir));
        assertEquals(OptionalInt.of(128), SentenceTransformerConfig.readMaxSeqLength(dir));
        assertTrue(Files.readString(dir.resolve("modules.json")).contains("sentence_transformers.models.Normalize"));
    }

    @Test
    void withoutNormalizeOrLengthNothingIsDeclared(@TempDir Path dir) throws IOException {
        new SentenceTransformerConfig(Pooling.CLS, false, 0).write(dir, 32);
        assertFalse(SentenceTransformerConfig.readNormalize(dir));
        assertEquals(OptionalInt.empty(), SentenceTransformerConfig.readMaxSeqLength(dir));
    }

    @Test
    void maxSeqLengthMustBeAWholeNumberOfAtLeastTwo(@TempDir Path dir) throws IOException {
        for (String bad : new String[] {"1", "0", "-3", "2.5", "\"256\""}) {
            Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": " + bad + "}");
            IOException e = assertThrows(IOException.class, () -> SentenceTransformerConfig.readMaxSeqLength(dir), bad);
            assertTrue(e.getMessage().contains("sentence_bert_config.json"), e.getMessage());
        }
    }
}
