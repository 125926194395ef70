package org.bert4j.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.bert4j.server.EmbedRoutesTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** /rerank: TEI's error without a re-ranker, TEI's shape with one (a stand-in scoring by text length). */
class RerankRouteTest {

    @Test
    void withoutARerankerTheRouteAnswersTeisError() {
        assertError(Http.post(TestServers.shared(), "/rerank", "{\"query\": \"q\", \"texts\": [\"a\"]}"), 424, "backend",
                "model is not a re-ranker model");
        assertError(Http.post(TestServers.shared(), "/rerank", "{\"query\": \"q\", \"texts\": []}"), 400, "empty",
                "`texts` cannot be empty");
        assertError(Http.post(TestServers.shared(), "/rerank", "{\"texts\": [\"a\"]}"), 422, "validation",
                "`query` is required");
    }

    @Test
    void ranksAreSortedBestFirstWithTheirIndexAndOptionallyText() throws Exception {
        Reranker byLength = (query, texts, truncate, raw, deadline) -> {
            float[] scores = new float[texts.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = raw ? texts.get(i).length() : texts.get(i).length() / 100f;
            }
            return scores;
        };
        ServerOptions options = ServerOptions.defaults().withPort(0);
        try (BertServer server = BertServer.start(ServedModel.load(TestServers.modelDir(), null, options)
                .withReranker(byLength), options)) {
            Http.Answer a = Http.post(server, "/rerank",
                    "{\"query\": \"q\", \"texts\": [\"bb\", \"a\", \"cccc\"], \"return_text\": true}");
            assertEquals(200, a.status(), a.body());
            JsonArray ranks = a.json().getAsJsonArray();
            int[] order = {2, 0, 1};
            for (int k = 0; k < 3; k++) {
                JsonObject rank = ranks.get(k).getAsJsonObject();
                assertEquals(order[k], rank.get("index").getAsInt());
                assertEquals(List.of("bb", "a", "cccc").get(order[k]), rank.get("text").getAsString());
            }
            assertEquals(0.04f, ranks.get(0).getAsJsonObject().get("score").getAsFloat());
            Http.Answer raw = Http.post(server, "/rerank", "{\"query\": \"q\", \"texts\": [\"bb\"], \"raw_scores\": true}");
            JsonObject only = raw.json().getAsJsonArray().get(0).getAsJsonObject();
            assertEquals(2f, only.get("score").getAsFloat());
            assertFalse(only.has("text"), "no text unless return_text");
        }
    }
}
