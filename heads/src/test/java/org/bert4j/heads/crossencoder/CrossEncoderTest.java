package org.bert4j.heads.crossencoder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.ModelInput;
import org.bert4j.heads.HfFixtures;
import org.bert4j.tokenizer.Encoding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.bert4j.heads.HfFixtures.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-label BertForSequenceClassification made by PyTorch, scored as sentence-transformers' CrossEncoder scores
 * it: pairs tokenised [CLS] query [SEP] document [SEP] with token types 0/1 and cut longest first, the logit through
 * the activation the folder declares (Identity here, as ms-marco-MiniLM-L-6-v2), else sigmoid. Scores equal
 * PyTorch's to 1e-4 (see PretrainedHeadsTest for why that bound).
 */
class CrossEncoderTest {

    static final double TOLERANCE = 1e-4;
    static final EngineOptions ONE_THREAD = EngineOptions.defaults().withThreads(1);

    @TempDir
    static Path dir;
    static CrossEncoder converted;
    static List<JsonObject> pairs = new ArrayList<>();
    static String query;
    static List<String> documents = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        converted = CrossEncoder.load(HfFixtures.converted("cross-encoder", dir), ONE_THREAD);
        for (JsonElement e : HfFixtures.expected("cross-encoder").getAsJsonArray("pairs")) {
            pairs.add(e.getAsJsonObject());
            documents.add(e.getAsJsonObject().get("document").getAsString());
        }
        query = pairs.getFirst().get("query").getAsString();
    }

    @AfterAll
    static void close() {
        converted.close();
    }

    private static double[] torch(String field) {
        return pairs.stream().mapToDouble(p -> p.get(field).getAsDouble()).toArray();
    }

    private static List<TextPair> textPairs() {
        return documents.stream().map(d -> new TextPair(query, d)).toList();
    }

    @Test
    void pairsAreEncodedAsTorchsWithTokenTypesAndLongestFirstTruncation() throws IOException {
        ModelInput input = ModelInput.of(converted.model(), 0);
        assertEquals(24, input.maxLength(), "tokenizer_config.json's model_max_length");
        for (JsonObject pair : pairs) {
            Encoding e = input.encodePair(query, pair.get("document").getAsString());
            assertArrayEquals(ints(pair.get("input_ids")), e.ids(), pair.get("document").getAsString());
            assertArrayEquals(ints(pair.get("token_type_ids")), e.typeIds(), pair.get("document").getAsString());
        }
        assertEquals(24, ints(pairs.getLast().get("input_ids")).length, "the last document is cut to fit");
    }

    @Test
    void declaredIdentityGivesTorchsLogits() {
        assertEquals(ScoreActivation.IDENTITY, converted.activation());
        assertArrayEquals(torch("logit"), converted.predict(textPairs()), TOLERANCE);
    }

    @Test
    void rankSortsByScoreAndKeepsEveryDocument() {
        List<RankedDocument> ranked = converted.rank(query, documents);
        double[] logits = torch("logit");
        List<Integer> expectedOrder = new ArrayList<>(List.of(0, 1, 2, 3));
        expectedOrder.sort(Comparator.comparingDouble((Integer i) -> logits[i]).reversed());
        assertEquals(expectedOrder, ranked.stream().map(RankedDocument::corpusId).toList());
        for (RankedDocument r : ranked) {
            assertEquals(logits[r.corpusId()], r.score(), TOLERANCE);
            assertEquals(documents.get(r.corpusId()), r.text());
        }
        assertEquals(ranked.subList(0, 2), converted.rank(query, documents, 2));
        assertEquals(List.of(), converted.rank(query, List.of()));
    }

    @Test
    void equalScoresKeepTheDocumentsOrderAsPythonsStableSortDoes() throws IOException {
        // One pair per forward: the same pair is then the same batch, so its two scores are the same bits.
        try (CrossEncoder oneByOne = CrossEncoder.load(HfFixtures.converted("cross-encoder", dir.resolve("tie")),
                ONE_THREAD).withBatchSize(1)) {
            List<RankedDocument> ranked = oneByOne.rank(query, List.of("Mary went to London.", "The movie was great!",
                    "Mary went to London."));
            List<Integer> ids = ranked.stream().map(RankedDocument::corpusId).toList();
            assertEquals(ranked.get(ids.indexOf(0)).score(), ranked.get(ids.indexOf(2)).score());
            assertEquals(ids.indexOf(0) + 1, ids.indexOf(2), "the first of two equal documents stays first: " + ids);
        }
    }

    @Test
    void anHfFolderWithBertPrefixedSafetensorsLoadsWithoutConversion() throws IOException {
        try (CrossEncoder raw = CrossEncoder.load(HfFixtures.source("cross-encoder"), ONE_THREAD)) {
            assertArrayEquals(torch("logit"), raw.predict(textPairs()), TOLERANCE);
        }
    }

    @Test
    void withoutADeclaredActivationOneLabelScoresWithSigmoid() throws IOException {
        Path folder = HfFixtures.copy("cross-encoder", dir.resolve("no-activation"));
        editConfig(folder, config -> config.remove("sbert_ce_default_activation_function"));
        try (CrossEncoder plain = CrossEncoder.load(folder, ONE_THREAD)) {
            assertEquals(ScoreActivation.SIGMOID, plain.activation());
            assertArrayEquals(torch("sigmoid"), plain.predict(textPairs()), TOLERANCE);
            assertArrayEquals(torch("logit"), plain.predict(textPairs(), ScoreActivation.IDENTITY), TOLERANCE);
        }
    }

    @Test
    void theNewerDeclarationsTakePrecedenceAsInSentenceTransformers() throws IOException {
        Path v4 = HfFixtures.copy("cross-encoder", dir.resolve("v4"));
        editConfig(v4, config -> {
            JsonObject st = new JsonObject();
            st.addProperty("activation_fn", "torch.nn.modules.activation.Tanh");
            config.add("sentence_transformers", st);
        });
        double[] logits = torch("logit");
        try (CrossEncoder tanh = CrossEncoder.load(v4, ONE_THREAD)) {
            double[] scores = tanh.predict(textPairs());
            for (int i = 0; i < logits.length; i++) {
                assertEquals(Math.tanh(logits[i]), scores[i], TOLERANCE);
            }
        }
        Files.writeString(v4.resolve("config_sentence_transformers.json"),
                "{\"activation_fn\": \"torch.nn.modules.activation.Sigmoid\", \"version\": \"5.0.0\"}");
        try (CrossEncoder sigmoid = CrossEncoder.load(v4, ONE_THREAD)) {
            assertEquals(ScoreActivation.SIGMOID, sigmoid.activation());
        }
    }

    @Test
    void anActivationOutsideTorchFallsBackToTheDefaultAndAnUnknownTorchOneIsAnError() throws IOException {
        Path custom = HfFixtures.copy("cross-encoder", dir.resolve("custom"));
        editConfig(custom, config -> config.addProperty("sbert_ce_default_activation_function", "mypackage.Scale"));
        try (CrossEncoder fallback = CrossEncoder.load(custom, ONE_THREAD)) {
            assertEquals(ScoreActivation.SIGMOID, fallback.activation());
        }
        Path softmax = HfFixtures.copy("cross-encoder", dir.resolve("softmax"));
        editConfig(softmax, config -> config.addProperty("sbert_ce_default_activation_function",
                "torch.nn.modules.activation.Softmax"));
        IOException e = assertThrows(IOException.class, () -> CrossEncoder.load(softmax, ONE_THREAD));
        assertTrue(e.getMessage().contains("sbert_ce_default_activation_function") && e.getMessage().contains("Softmax"),
                e.getMessage());
    }

    @Test
    void aModelWithSeveralLabelsIsNotACrossEncoder() throws IOException {
        Path seqCls = HfFixtures.converted("seq-cls", dir);
        IOException e = assertThrows(IOException.class, () -> CrossEncoder.load(seqCls, ONE_THREAD));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("classify"), e.getMessage());
        Path tokenCls = HfFixtures.converted("token-cls", dir);
        e = assertThrows(IOException.class, () -> CrossEncoder.load(tokenCls, ONE_THREAD));
        assertTrue(e.getMessage().contains("BertForTokenClassification"), e.getMessage());
    }

    @Test
    void nullInputsAreRefusedWithTheirPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> converted.rank(query, java.util.Arrays.asList("a", null)));
        assertTrue(e.getMessage().contains("documents[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TextPair(null, "x"));
    }

    private static void editConfig(Path folder, java.util.function.Consumer<JsonObject> edit) throws IOException {
        Path file = folder.resolve("config.json");
        JsonObject config = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        edit.accept(config);
        Files.writeString(file, config.toString(), StandardCharsets.UTF_8);
    }
}
