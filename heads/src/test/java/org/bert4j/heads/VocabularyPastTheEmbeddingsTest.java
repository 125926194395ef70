package org.bert4j.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.engine.bert.RandomCheckpoint;
import org.bert4j.folder.BertConfig;
import org.bert4j.folder.Pooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model folder whose vocab.txt is longer than its embedding matrix (405 tokens, 402 rows), as Hugging Face loads
 * it and as the converter now writes it (with a warning): it loads and embeds every text whose ids have rows; only a
 * text that produces an id past the matrix is refused, and the error names the sequence, the token and the id.
 */
class VocabularyPastTheEmbeddingsTest {

    @TempDir
    Path dir;

    @Test
    void onlyATextThatReachesPastTheMatrixIsRefused() throws Exception {
        RandomCheckpoint.write(dir, BertConfig.of(402, 16, 1, 2, 32), 1, 0.02, false);
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat"));
        while (vocab.size() < 402) {
            vocab.add("w" + vocab.size());
        }
        vocab.addAll(List.of("quokka", "wombat", "##roo")); // ids 402, 403, 404: no embedding rows
        Files.write(dir.resolve("vocab.txt"), vocab);
        try (SentenceEncoder encoder = SentenceEncoder.load(dir, EncoderOptions.defaults().withPooling(Pooling.MEAN))) {
            assertEquals(16, encoder.encode("the cat sat").length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoder.encode("the quokka"));
            // [CLS] the quokka [SEP]: token 2 of sequence 0.
            assertTrue(e.getMessage().contains("sequence 0, token 2: id 402 is outside the vocabulary [0, 402)"), e.getMessage());
            assertEquals(2, encoder.encode(List.of("cat", "sat")).length, "the encoder still works after the refusal");
        }
    }
}
