package org.bert4j.engine;

import org.bert4j.folder.Pooling;
import org.bert4j.convert.BundledModels;
import org.bert4j.tokenizer.EncodeOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text-in, vector-out API on the bundled default model (all-MiniLM-L6-v2). */
class SentenceEncoderTest {

    private static SentenceEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = SentenceEncoder.load(BundledModels.defaultModel());
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void theDefaultModelTakesItsPoolingNormalisationAndLengthFromTheFolder() {
        assertEquals(384, encoder.dimension());
        assertEquals(Pooling.MEAN, encoder.pooling());          // 1_Pooling/config.json
        assertTrue(encoder.normalizes());                        // 2_Normalize
        assertEquals(256, encoder.maxLength());                  // sentence_bert_config.json max_seq_length
    }

    @Test
    void vectorsHaveUnitLengthAndSimilarTextsAreCloser() {
        float[][] v = encoder.encode(List.of("The cat is running around outside", "A cat runs outdoors",
                "Stock markets fell sharply on Monday"));
        for (float[] x : v) {
            assertEquals(1.0, dot(x, x), 1e-5);
        }
        assertTrue(dot(v[0], v[1]) > dot(v[0], v[2]) + 0.2, "paraphrases must be closer than unrelated texts");
    }

    @Test
    void anEmptyTextEncodesAsClsSepAsHuggingFaceDoes() {
        BertModel model = encoder.model();
        BertModelOutput out = model.forward(TokenBatch.of(new int[][] {{101, 102}}, null));
        float[] expected = out.pool(Pooling.MEAN, 0);
        Normalize.l2(expected);
        // Up to rounding: either call may run before the JIT warm-up, on the cold-start kernels.
        assertArrayEquals(expected, encoder.encode(""), 1e-5f);
    }

    @Test
    void longTextsAreTruncatedToMaxLengthNotRejected() {
        String longText = String.join(" ", Collections.nCopies(2000, "word"));
        float[] v = encoder.encode(longText);
        var encoding = encoder.tokenizer().encode(longText, EncodeOptions.defaults().withMaxLength(256));
        assertEquals(256, encoding.length());
        float[] expected = encoder.model().forward(TokenBatch.of(List.of(encoding))).pool(Pooling.MEAN, 0);
        Normalize.l2(expected);
        assertArrayEquals(expected, v, 1e-5f);
    }

    @Test
    void batchSizeDoesNotChangeTheVectors() throws Exception {
        List<String> texts = List.of("one", "two words", "a somewhat longer sentence about nothing in particular",
                "", "Café naïve", "42", "the last one");
        try (SentenceEncoder small = SentenceEncoder.load(BundledModels.defaultModel(), EncoderOptions.defaults().withBatchSize(2))) {
            float[][] a = encoder.encode(texts);
            float[][] b = small.encode(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(a[i], b[i], 1e-5f, "text " + i);
            }
        }
    }

    @Test
    void explicitOptionsOverrideTheFolder() throws Exception {
        try (SentenceEncoder cls = SentenceEncoder.load(BundledModels.defaultModel(),
                EncoderOptions.defaults().withPooling(Pooling.CLS).withNormalize(false).withMaxLength(64))) {
            assertEquals(Pooling.CLS, cls.pooling());
            assertFalse(cls.normalizes());
            assertEquals(64, cls.maxLength());
            float[] v = cls.encode("hello world");
            BertModelOutput out = cls.model().forward(TokenBatch.of(List.of(cls.tokenizer().encode("hello world"))));
            assertArrayEquals(out.tokenVector(0, 0), v, 2e-5f);   // a raw hidden state, not a unit vector
        }
    }

    @Test
    void badInputsAreClearErrorsAndAnEmptyListIsAnEmptyResult() {
        assertEquals(0, encoder.encode(List.of()).length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoder.encode((List<String>) null));
        assertTrue(e.getMessage().contains("texts"), e.getMessage());
        List<String> withNull = new ArrayList<>(List.of("a", "b"));
        withNull.add(null);
        e = assertThrows(IllegalArgumentException.class, () -> encoder.encode(withNull));
        assertTrue(e.getMessage().contains("texts[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> encoder.encode((String) null));
        assertThrows(IllegalArgumentException.class, () -> SentenceEncoder.load(BundledModels.defaultModel(),
                EncoderOptions.defaults().withMaxLength(513)));
        assertThrows(IllegalArgumentException.class, () -> EncoderOptions.defaults().withBatchSize(0));
    }

    @Test
    void aBadMaxSeqLengthInTheFolderIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        // The default model's files, linked, with sentence_bert_config.json replaced.
        List<Path> links = new ArrayList<>();
        try (var files = Files.list(BundledModels.defaultModel())) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("sentence_bert_config.json")) {
                    links.add(Files.createSymbolicLink(dir.resolve(f.getFileName()), f.toAbsolutePath()));
                }
            }
        }
        try {
            maxSeqLengthIsChecked(dir);
        } finally {
            for (Path link : links) {
                Files.delete(link);   // before JUnit cleans the folder, which warns about links leading out of it
            }
        }
    }

    private static void maxSeqLengthIsChecked(Path dir) throws Exception {
        Path config = dir.resolve("sentence_bert_config.json");
        for (String value : new String[] {"0", "1", "-5", "2.5", "\"256\"", "1e12"}) {
            Files.writeString(config, "{\"max_seq_length\": " + value + ", \"do_lower_case\": false}");
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> SentenceEncoder.load(dir), value);
            assertTrue(e.getMessage().contains("sentence_bert_config.json") && e.getMessage().contains("max_seq_length"),
                    e.getMessage());
        }
        Files.writeString(config, "{\"max_seq_length\": 128, \"do_lower_case\": false}");
        try (SentenceEncoder ok = SentenceEncoder.load(dir)) {
            assertEquals(128, ok.maxLength());
        }
    }

    @Test
    void oneEncoderServesManyThreads() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            texts.add("sentence number " + i + " about " + (i % 3 == 0 ? "cats" : "markets"));
        }
        float[][] expected = encoder.encode(texts);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (String t : texts) {
                futures.add(pool.submit(() -> encoder.encode(t)));
            }
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expected[i], futures.get(i).get(), 1e-5f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
