package org.bert4j.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bert4j.convert.torch.TorchCheckpoint;
import org.bert4j.safetensors.SafetensorsFile;
import org.bert4j.safetensors.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Hugging Face loads, bert4j converts: each leniency of transformers' loading (modeling_utils, tokenizer loading)
 * on a real torch-saved checkpoint (scripts/make-torch-hf-leniency-fixtures.py), converted with a warning that says
 * what was tolerated, never in silence.
 */
class HfLeniencyTest {

    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();

    private static Path fixture(String name) throws Exception {
        return Path.of(HfLeniencyTest.class.getResource("/torch/" + name).toURI());
    }

    private Path convert(String name) throws Exception {
        return ModelConverter.convert(fixture(name), tmp.resolve("out"), ConvertOptions.defaults().withWarnings(warnings::add));
    }

    private String warningAbout(String needle) {
        List<String> matching = warnings.stream().filter(w -> w.contains(needle)).toList();
        assertEquals(1, matching.size(), "one warning about '" + needle + "' in " + warnings);
        return matching.getFirst();
    }

    @Test
    void aVocabularyLongerThanTheEmbeddingMatrixConvertsWithAWarning() throws Exception {
        Path out = convert("token_classification_405_vocab");
        String w = warningAbout("405 tokens");
        assertTrue(w.contains("402 rows") && w.contains("ids 402..404") && w.contains("vocab.txt"), w);
        assertEquals(402, TestModels.json(out.resolve("config.json")).get("vocab_size").getAsInt());
        assertEquals(405, Files.readAllLines(out.resolve("vocab.txt")).size(), "the tokenizer is carried over whole");
        try (SafetensorsFile st = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertArrayEquals(new long[] {402, 8}, st.info("embeddings.word_embeddings.weight").shape());
        }
    }

    @Test
    void aVocabularyShorterThanTheEmbeddingMatrixConvertsWithAWarning() throws Exception {
        // The same real checkpoint (402 rows) with a vocab.txt of its first 400 tokens: rows 400 and 401 belong to no token,
        // as when embeddings are padded to a multiple of 8. transformers loads it without a word.
        Path src = copyOf("token_classification_405_vocab");
        List<String> vocab = Files.readAllLines(src.resolve("vocab.txt"));
        Files.write(src.resolve("vocab.txt"), vocab.subList(0, 400));
        Path out = ModelConverter.convert(src, tmp.resolve("out"), ConvertOptions.defaults().withWarnings(warnings::add));
        assertEquals(src.resolve("vocab.txt") + " has 400 tokens but the word embeddings have 402 rows: the last 2 rows "
                + "belong to no token and are never used", warningAbout("400 tokens"));
        assertEquals(2, warnings.size(), "vocabulary and pooler: " + warnings);
        assertEquals(402, TestModels.json(out.resolve("config.json")).get("vocab_size").getAsInt());
        assertEquals(vocab.subList(0, 400), Files.readAllLines(out.resolve("vocab.txt")));
        try (SafetensorsFile st = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertArrayEquals(new long[] {402, 8}, st.info("embeddings.word_embeddings.weight").shape(), "no row is dropped");
        }
    }

    @Test
    void transformersVeryLargeModelMaxLengthConvertsSilentlyAndUnchanged() throws Exception {
        // transformers writes int(1e30) (VERY_LARGE_INTEGER) when a tokenizer declares no maximum: its ordinary "unset",
        // which it loads without a word. The literal below is exactly what json.dumps(int(1e30)) writes.
        String sentinel = "1000000000000000019884624838656";
        Path src = copyOf("token_classification_405_vocab");
        Files.writeString(src.resolve("tokenizer_config.json"),
                "{\"do_lower_case\": true, \"model_max_length\": " + sentinel + ", \"tokenizer_class\": \"BertTokenizer\"}");
        Path out = ModelConverter.convert(src, tmp.resolve("out"), ConvertOptions.defaults().withWarnings(warnings::add));
        assertEquals(2, warnings.size(), "vocabulary and pooler, nothing about the sentinel: " + warnings);
        assertTrue(warnings.stream().noneMatch(w -> w.contains("model_max_length")), warnings.toString());
        // Carried over as transformers wrote it: the tokenizer reads it as unset (BertTokenizerTest), and heads'
        // ConvertedLeniencyTest shows the length the engine then cuts at.
        assertEquals(new java.math.BigInteger(sentinel),
                TestModels.json(out.resolve("tokenizer_config.json")).get("model_max_length").getAsBigInteger());
    }

    private Path copyOf(String name) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        try (var files = Files.list(fixture(name))) {
            for (Path f : files.toList()) {
                Files.copy(f, src.resolve(f.getFileName()));
            }
        }
        return src;
    }

    @Test
    void aTokenClassificationCheckpointKeepsItsHeadAndWarnsAboutItsMissingPooler() throws Exception {
        Path out = convert("token_classification_405_vocab");
        assertTrue(warningAbout("no pooler").contains("no pooler output"), warnings.toString());
        // The classifier is the task head config.json declares (TaskHeadLayout checks it): used, so no warning about it.
        assertEquals(2, warnings.size(), "vocabulary and pooler; the position_ids buffer is dropped silently: " + warnings);
        try (SafetensorsFile st = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertArrayEquals(new long[] {5, 8}, st.info("classifier.weight").shape());
            assertFalse(st.contains("embeddings.position_ids"));
            assertFalse(st.contains("pooler.dense.weight"));
        }
    }

    @Test
    void tensorFlowLayerNormNamesAreRenamedWithAWarning() throws Exception {
        Path out = convert("tf_layernorm_names");
        String w = warningAbout("gamma/beta"); // BertModel's ten, and the masked-LM head's two
        assertTrue(w.contains("renamed 12 LayerNorm parameters") && w.contains("embeddings.LayerNorm.gamma"), w);
        String unused = warningAbout("not part of BertModel");
        assertTrue(unused.contains("cls.predictions.bias") && unused.contains("cls.predictions.transform.LayerNorm.weight"), unused);
        // The renamed tensors hold what the same model saved under the current names holds.
        List<Tensor> current = TorchCheckpoint.read(fixture("token_classification_405_vocab").resolve("pytorch_model.bin"));
        try (SafetensorsFile st = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            int compared = 0;
            for (Tensor t : current) {
                String name = t.name().replaceFirst("^bert\\.", "");
                if (name.contains("LayerNorm.")) {
                    assertEquals(-1, st.segment(name).mismatch(t.data()), name);
                    assertFalse(st.contains(name.replace("LayerNorm.weight", "LayerNorm.gamma")
                            .replace("LayerNorm.bias", "LayerNorm.beta")), name);
                    compared++;
                }
            }
            assertEquals(10, compared, "embeddings and two layers, two LayerNorms each, weight and bias");
        }
    }

    @Test
    void currentNamesAndAMatchingVocabularyAddNoWarningOfTheirOwn() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("hf"));
        Files.copy(Path.of(HfLeniencyTest.class.getResource("/torch/tiny_bert_torch_2_13.bin").toURI()),
                src.resolve("pytorch_model.bin"));
        Files.writeString(src.resolve("config.json"), "{\"model_type\":\"bert\",\"hidden_size\":4,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":2,\"intermediate_size\":8,\"vocab_size\":12,\"max_position_embeddings\":6,\"type_vocab_size\":2}");
        Files.writeString(src.resolve("tokenizer.json"), TinyBertFiles.tokenizerJson());
        ModelConverter.convert(src, tmp.resolve("out"), ConvertOptions.defaults().withWarnings(warnings::add));
        // That fixture has a classifier (so one warning about it) and no pooler; nothing about names or vocabulary.
        assertEquals(2, warnings.size(), warnings.toString());
        warningAbout("classifier.weight");
        warningAbout("no pooler");
    }
}
