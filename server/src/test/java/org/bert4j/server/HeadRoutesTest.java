package org.bert4j.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.heads.ClassPrediction;
import org.bert4j.heads.ClassificationHead;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.Entity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.bert4j.server.EmbedRoutesTest.assertError;
import static org.bert4j.server.EmbedRoutesTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /predict and /ner against MultiTaskModel loaded in-process on its own backbone (tolerance 1e-5 on probabilities
 * and logits, for the reason EmbedRoutesTest gives: the server's forwards pack other sequences).
 */
class HeadRoutesTest {

    static final List<String> TEXTS = List.of("Barack Obama met the board of Google in Paris",
            "The Funniest Tweets From Parents This Week", "Ünïcode naïve café 🎉 Angela Merkel speaks");

    @Test
    void predictAnswersEveryLabelSortedAsMultiTaskModelScoresThem() {
        MultiTaskModel oracle = TestServers.oracle();
        List<ClassPrediction> want = oracle.classify(TEXTS, "topic");
        Http.Answer a = Http.post(TestServers.shared(), "/predict",
                "{\"inputs\": [" + String.join(",", TEXTS.stream().map(t -> "[" + json(t) + "]").toList()) + "]}");
        assertEquals(200, a.status(), a.body());
        JsonArray batch = a.json().getAsJsonArray();
        assertEquals(TEXTS.size(), batch.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            JsonArray scores = batch.get(i).getAsJsonArray();
            assertEquals(4, scores.size(), "every label");
            assertEquals(want.get(i).label(), scores.get(0).getAsJsonObject().get("label").getAsString(), TEXTS.get(i));
            double previous = Double.POSITIVE_INFINITY;
            for (var element : scores) {
                JsonObject s = element.getAsJsonObject();
                double score = s.get("score").getAsDouble();
                assertTrue(score <= previous, "sorted by score, highest first");
                previous = score;
                assertEquals(want.get(i).probabilities().get(s.get("label").getAsString()), score, 1e-5);
            }
        }

        Http.Answer single = Http.post(TestServers.shared(), "/predict", "{\"inputs\": " + json(TEXTS.get(1)) + "}");
        assertEquals(200, single.status(), single.body());
        JsonArray scores = single.json().getAsJsonArray();
        assertTrue(scores.get(0).isJsonObject(), "one input: one list of scores, not a batch");
        assertEquals(want.get(1).label(), scores.get(0).getAsJsonObject().get("label").getAsString());
    }

    @Test
    void rawScoresAreTheHeadsLogits() {
        MultiTaskModel oracle = TestServers.oracle();
        ClassificationHead head = (ClassificationHead) oracle.head("topic");
        BertModelOutput out = oracle.backbone().forward(List.of(oracle.backbone().tokenize(TEXTS.getFirst())));
        double[] logits = head.logits(head.pool(out, 0), 1);
        Http.Answer a = Http.post(TestServers.shared(), "/predict",
                "{\"inputs\": [" + json(TEXTS.getFirst()) + "], \"raw_scores\": true, \"task\": \"topic\"}");
        assertEquals(200, a.status(), a.body());
        for (var element : a.json().getAsJsonArray()) {
            JsonObject s = element.getAsJsonObject();
            int c = head.labels().labels().indexOf(s.get("label").getAsString());
            assertEquals(logits[c], s.get("score").getAsDouble(), 1e-5);
        }
    }

    @Test
    void nerAnswersTheTokenClassificationPipelinesShape() {
        MultiTaskModel oracle = TestServers.oracle();
        List<List<Entity>> want = oracle.entities(TEXTS, "entities", AggregationStrategy.SIMPLE);
        Http.Answer a = Http.post(TestServers.shared(), "/ner", "{\"inputs\": [" + String.join(",",
                TEXTS.stream().map(EmbedRoutesTest::json).toList()) + "], \"aggregation_strategy\": \"simple\"}");
        assertEquals(200, a.status(), a.body());
        JsonArray batch = a.json().getAsJsonArray();
        int found = 0;
        for (int i = 0; i < TEXTS.size(); i++) {
            String text = TEXTS.get(i);
            JsonArray entities = batch.get(i).getAsJsonArray();
            assertEquals(want.get(i).size(), entities.size(), text);
            for (int k = 0; k < entities.size(); k++) {
                JsonObject got = entities.get(k).getAsJsonObject();
                Entity e = want.get(i).get(k);
                assertEquals(e.label(), got.get("entity_group").getAsString());
                assertEquals(e.score(), got.get("score").getAsDouble(), 1e-5);
                assertEquals(e.text(), got.get("word").getAsString());
                // Python's offsets count code points: the emoji before "Angela" is one, not two.
                int start = got.get("start").getAsInt();
                int end = got.get("end").getAsInt();
                assertEquals(e.text(), new String(text.codePoints().skip(start).limit(end - start).toArray(), 0, end - start));
                found++;
            }
        }
        assertTrue(found > 0, "random heads still tag some tokens: the comparison must not be empty");

        Http.Answer none = Http.post(TestServers.shared(), "/ner",
                "{\"inputs\": " + json(TEXTS.getFirst()) + ", \"aggregation_strategy\": \"none\"}");
        assertEquals(200, none.status(), none.body());
        JsonArray tokens = none.json().getAsJsonArray();
        assertEquals(oracle.entities(List.of(TEXTS.getFirst()), "entities", AggregationStrategy.NONE).getFirst().size(),
                tokens.size());
        assertTrue(tokens.isEmpty() || tokens.get(0).getAsJsonObject().has("entity"), "no grouping: `entity`, as HF");
    }

    @Test
    void headErrors() {
        BertServer server = TestServers.shared();
        assertError(Http.post(server, "/predict", "{\"inputs\": [\"a\", \"b\"]}"), 422, "validation", "pair of texts");
        assertError(Http.post(server, "/predict", "{\"inputs\": [[\"a\", \"b\"]]}"), 422, "validation", "pairs");
        assertError(Http.post(server, "/predict", "{\"inputs\": \"a\", \"task\": \"entities\"}"), 422, "validation",
                "no classification head named 'entities'");
        assertError(Http.post(server, "/ner", "{\"inputs\": \"a\", \"aggregation_strategy\": \"best\"}"), 422,
                "validation", "`aggregation_strategy`");
        assertError(Http.post(server, "/ner", "{\"inputs\": " + json("word ".repeat(200)) + "}"), 413, "validation",
                "at most 128 tokens");
        try (BertServer plain = TestServers.start(ServerOptions.defaults().withPort(0), false)) {
            assertError(Http.post(plain, "/predict", "{\"inputs\": \"a\"}"), 424, "backend", "not a classifier model");
            assertError(Http.post(plain, "/ner", "{\"inputs\": \"a\"}"), 424, "backend", "not a token-classification");
        }
    }
}
