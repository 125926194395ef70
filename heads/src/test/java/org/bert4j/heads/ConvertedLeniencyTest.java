package org.bert4j.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bert4j.convert.ConvertOptions;
import org.bert4j.convert.ModelConverter;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.engine.bert.RandomCheckpoint;
import org.bert4j.folder.BertConfig;
import org.bert4j.folder.Pooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two leniencies of Hugging Face's loading, end to end: a checkpoint whose vocab.txt has fewer tokens than its
 * embedding matrix has rows, and whose tokenizer_config.json says {@code model_max_length: int(1e30)} (transformers'
 * "very large", i.e. unset), converts with one warning and embeds; texts are cut where sentence-transformers cuts
 * them for such a model, at min(max_position_embeddings, model_max_length) = max_position_embeddings.
 */
class ConvertedLeniencyTest {

    @TempDir
    Path dir;

    @Test
    void fewerTokensThanRowsAndAnUnsetMaximumConvertAndEmbed() throws Exception {
        // 40 rows (a multiple of 8), 36 tokens; 24 positions, so the cut is visibly the model's and not 512.
        BertConfig config = new BertConfig("bert", 40, 16, 1, 2, 32, "gelu", 24, 2, 1e-12, 0, "absolute", 0.1, 0.1, 0.02);
        Path src = RandomCheckpoint.write(dir.resolve("src"), config, 3, 0.05, true);
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        while (vocab.size() < 36) {
            vocab.add("w" + vocab.size());
        }
        Files.write(src.resolve("vocab.txt"), vocab);
        Files.writeString(src.resolve("tokenizer_config.json"),
                "{\"do_lower_case\": true, \"model_max_length\": 1000000000000000019884624838656}");
        List<String> warnings = new ArrayList<>();
        Path out = ModelConverter.convert(src, dir.resolve("out"), ConvertOptions.defaults().withWarnings(warnings::add));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("has 36 tokens but the word embeddings have 40 rows: the last 4 rows "
                + "belong to no token"), warnings.getFirst());

        StringBuilder longText = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            longText.append('w').append(5 + i % 31).append(' ');
        }
        try (SentenceEncoder encoder = SentenceEncoder.load(out, EncoderOptions.defaults().withPooling(Pooling.MEAN))) {
            assertEquals(512, encoder.tokenizer().modelMaxLength(), "the sentinel reads as unset: the tokenizer's default");
            assertEquals(24, encoder.maxLength(), "cut at max_position_embeddings, as sentence-transformers does");
            assertEquals(24, encoder.input().encode(longText.toString()).length());
            // The long text embeds as its first 22 words (plus [CLS] and [SEP]) do: it was cut, not refused.
            String first22 = String.join(" ", List.of(longText.toString().split(" ")).subList(0, 22));
            assertArrayEquals(encoder.encode(first22), encoder.encode(longText.toString()));
        }
    }
}
