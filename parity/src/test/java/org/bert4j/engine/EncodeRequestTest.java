package org.bert4j.engine;

import org.bert4j.convert.BundledModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

/**
 * {@code encode(texts, request)} on the default model (mean pooling + Normalize module) follows sentence-transformers'
 * rules: which prompt applies, where truncation sits relative to the two normalisations, progress, quantized output
 * and the similarity matrix. The expectations are built from the plain API by hand (prefixing the text, cutting and
 * rescaling the vector), so each test fails if a step is skipped or done in another order.
 */
class EncodeRequestTest {

    /** Two forwards of the same tokens may fall on either side of the JIT warm-up: up to ~1e-5 apart (README). */
    private static final float SAME = 2e-5f;
    private static final List<String> TEXTS = List.of("The cat is running around outside", "Stock markets fell sharply");

    private static SentenceEncoder plain;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        plain = SentenceEncoder.load(BundledModels.defaultModel());
    }

    @AfterAll
    static void close() {
        plain.close();
    }

    @Test
    void aFolderWithoutPromptsHasTheTwoEmptyOnesSentenceTransformersSeeds() {
        assertEquals(Map.of("query", "", "document", ""), plain.prompts());
        assertTrue(plain.defaultPromptName().isEmpty());
        assertEquals(SimilarityFunction.COSINE, plain.similarityFunction());
        assertEquals(List.of(List.of("query", "document")), List.of(List.copyOf(plain.prompts().keySet())));
    }

    @Test
    void aNamedPromptIsPrependedToEachText() throws Exception {
        Path folder = folderWith("{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"}}");
        try (SentenceEncoder e5Style = SentenceEncoder.load(folder)) {
            assertEquals("query: ", e5Style.prompts().get("query"));
            assertEquals("", e5Style.prompts().get("document"));
            float[][] byHand = plain.encode(List.of("query: " + TEXTS.get(0), "query: " + TEXTS.get(1)));
            assertRows(byHand, e5Style.encode(TEXTS, EmbeddingRequest.defaults().withPromptName("query")));
            assertRows(byHand, e5Style.encode(TEXTS, EmbeddingRequest.defaults().withPrompt("query: ")));
            assertRows(byHand, e5Style.encodeQuery(TEXTS, EmbeddingRequest.defaults()));
            // encode_document takes "document", which sentence-transformers 5 seeds empty: no prefix; passage by name.
            assertRows(plain.encode(TEXTS), e5Style.encodeDocument(TEXTS, EmbeddingRequest.defaults()));
            assertRows(plain.encode(List.of("passage: " + TEXTS.get(0), "passage: " + TEXTS.get(1))),
                    e5Style.encodeDocument(TEXTS, EmbeddingRequest.defaults().withPromptName("passage")));
            // Without a default prompt name, a plain encode prepends nothing; the prompt does change the vectors.
            assertRows(plain.encode(TEXTS), e5Style.encode(TEXTS));
            assertTrue(SimilarityFunction.COSINE.score(byHand[0], plain.encode(TEXTS)[0]) < 0.99);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> e5Style.encode(TEXTS, EmbeddingRequest.defaults().withPromptName("search")));
            assertTrue(e.getMessage().contains("\"search\"") && e.getMessage().contains("passage"), e.getMessage());
        }
    }

    @Test
    void theDefaultPromptNameAppliesWhenTheRequestNamesNone() throws Exception {
        Path folder = folderWith("{\"prompts\": {\"classification\": \"Classify: \"}, \"default_prompt_name\": \"classification\","
                + " \"similarity_fn_name\": \"dot\"}");
        try (SentenceEncoder withDefault = SentenceEncoder.load(folder)) {
            assertEquals("classification", withDefault.defaultPromptName().orElseThrow());
            assertRows(plain.encode(List.of("Classify: " + TEXTS.get(0), "Classify: " + TEXTS.get(1))),
                    withDefault.encode(TEXTS));
            // An explicit empty prompt turns it off, as prompt="" does in sentence-transformers.
            assertRows(plain.encode(TEXTS), withDefault.encode(TEXTS, EmbeddingRequest.defaults().withPrompt("")));
            assertEquals(SimilarityFunction.DOT, withDefault.similarityFunction());
            float[][] v = {{1, 2}, {3, 4}};
            assertArrayEquals(new float[] {5, 11}, withDefault.similarity(v, v)[0], 1e-6f);
        }
    }

    @Test
    void aDefaultPromptNameWithoutSuchAPromptIsALoadErrorNamingTheFile() throws Exception {
        Path folder = folderWith("{\"prompts\": {\"query\": \"q: \"}, \"default_prompt_name\": \"passage\"}");
        IOException e = assertThrows(IOException.class, () -> SentenceEncoder.load(folder));
        assertTrue(e.getMessage().contains("config_sentence_transformers.json") && e.getMessage().contains("\"passage\""),
                e.getMessage());
    }

    @Test
    void truncationComesAfterTheNormalizeModuleSoVectorsAreUnitOnlyWhenAskedAgain() {
        float[][] full = plain.encode(TEXTS);
        float[][] cut = plain.encode(TEXTS, EmbeddingRequest.defaults().withTruncateDim(64));
        float[][] cutUnit = plain.encode(TEXTS, EmbeddingRequest.defaults().withTruncateDim(64).withNormalizeEmbeddings(true));
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEquals(64, cut[i].length);
            float[] first64 = java.util.Arrays.copyOf(full[i], 64);
            assertArrayEquals(first64, cut[i], SAME);                  // the unit vector's first 64 values, as they are
            double norm = Math.sqrt(SimilarityFunction.DOT.score(cut[i], cut[i]));
            assertTrue(norm < 0.9, "a cut unit vector is shorter than 1, got " + norm);
            Normalize.l2(first64);
            assertArrayEquals(first64, cutUnit[i], SAME);             // then rescaled: truncate_dim + normalize_embeddings
        }
        assertThrows(IllegalArgumentException.class, () -> plain.encode(TEXTS, EmbeddingRequest.defaults().withTruncateDim(385)));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingRequest.defaults().withTruncateDim(-1));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingRequest("q: ", "query", 0, false));
    }

    @Test
    void theListenerHearsEachBatchAndCanStopTheEncoding() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            many.add("text number " + i);
        }
        List<String> heard = new ArrayList<>();
        float[][] v = plain.encode(many, EmbeddingRequest.defaults(), (done, total) -> heard.add(done + "/" + total));
        assertEquals(List.of("32/70", "64/70", "70/70"), heard);      // batches of 32
        assertEquals(70, v.length);
        IllegalStateException stop = assertThrows(IllegalStateException.class, () -> plain.encode(many,
                EmbeddingRequest.defaults(), (done, total) -> { throw new IllegalStateException("cancelled at " + done); }));
        assertEquals("cancelled at 32", stop.getMessage());
    }

    @Test
    void quantizedOutputIsTheQuantizationOfTheFloatOutput() {
        EmbeddingRequest cut = EmbeddingRequest.defaults().withTruncateDim(100);
        float[][] floats = plain.encode(TEXTS, cut);
        for (Precision p : List.of(Precision.INT8, Precision.UINT8, Precision.BINARY, Precision.UBINARY)) {
            QuantizedEmbeddings q = plain.encodeQuantized(TEXTS, cut, p, null);
            QuantizedEmbeddings expected = Quantization.quantize(floats, p);
            assertEquals(p.packsBits() ? 13 : 100, q.width());
            for (int r = 0; r < TEXTS.size(); r++) {
                if (p.packsBits()) {
                    assertArrayEquals(expected.rows()[r], q.rows()[r], p.label());   // a sign moves only at |x| < 1e-5
                } else {
                    int[] a = expected.values(r);
                    int[] b = q.values(r);
                    for (int c = 0; c < a.length; c++) {
                        // Two texts: each dimension's range is its two values, so every value is a bucket edge (0 or
                        // 254/255); rounding noise can only move the top one between 254 and 255.
                        assertTrue(Math.abs(a[c] - b[c]) <= 1, p.label() + " row " + r + " column " + c);
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> plain.encodeQuantized(TEXTS, cut, Precision.FLOAT32, null));
    }

    @Test
    void includePromptFalseIsRefusedWithAPromptAndHarmlessWithout() throws Exception {
        Path folder = folderWith("{\"prompts\": {\"query\": \"query: \"}}");
        Files.delete(folder.resolve("1_Pooling"));
        Files.createDirectories(folder.resolve("1_Pooling"));
        Files.writeString(folder.resolve("1_Pooling/config.json"),
                "{\"pooling_mode_mean_tokens\": true, \"include_prompt\": false}");
        try (SentenceEncoder instructor = SentenceEncoder.load(folder)) {
            assertRows(plain.encode(TEXTS), instructor.encode(TEXTS));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> instructor.encode(TEXTS, EmbeddingRequest.defaults().withPromptName("query")));
            assertTrue(e.getMessage().contains("include_prompt"), e.getMessage());
        }
    }

    /** The default model's files, linked into a fresh folder, with a config_sentence_transformers.json. */
    private Path folderWith(String config) throws IOException {
        Path folder = dir.resolve("model");
        Files.createDirectories(folder);
        try (var files = Files.list(BundledModels.defaultModel())) {
            for (Path f : files.toList()) {
                Files.createSymbolicLink(folder.resolve(f.getFileName()), f.toAbsolutePath());
            }
        }
        Files.writeString(folder.resolve("config_sentence_transformers.json"), config);
        return folder;
    }

    private static void assertRows(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], SAME, "row " + i);
        }
    }
}
