package org.bert4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A cross-encoder served as the model answers /rerank with its scores: the heads module's PyTorch-made one-label
 * BertForSequenceClassification (heads/src/test/resources/hf-heads/cross-encoder), whose logits PyTorch computed;
 * raw scores to 1e-4, TEI's default scores the sigmoid of them.
 */
class CrossEncoderRerankTest {

    @Test
    void aCrossEncoderModelRanksTextsWithPyTorchsScores() throws Exception {
        Path folder = Path.of("..", "heads", "src", "test", "resources", "hf-heads", "cross-encoder");
        JsonObject expected = JsonParser.parseString(Files.readString(folder.resolve("expected.json"))).getAsJsonObject();
        JsonArray pairs = expected.getAsJsonArray("pairs");
        String query = pairs.get(0).getAsJsonObject().get("query").getAsString();
        JsonArray texts = new JsonArray();
        for (var pair : pairs) {
            texts.add(pair.getAsJsonObject().get("document").getAsString());
        }
        ServerOptions options = ServerOptions.defaults().withPort(0).withThreads(1);
        try (BertServer server = BertServer.start(folder, null, options)) {
            for (boolean raw : new boolean[] {true, false}) {
                JsonObject request = new JsonObject();
                request.addProperty("query", query);
                request.add("texts", texts);
                request.addProperty("raw_scores", raw);
                Http.Answer answer = Http.post(server, "/rerank", request.toString());
                assertEquals(200, answer.status(), answer.body());
                JsonArray ranks = answer.json().getAsJsonArray();
                assertEquals(texts.size(), ranks.size());
                double previous = Double.POSITIVE_INFINITY;
                for (var rank : ranks) {
                    JsonObject r = rank.getAsJsonObject();
                    JsonObject pair = pairs.get(r.get("index").getAsInt()).getAsJsonObject();
                    double score = r.get("score").getAsDouble();
                    assertEquals(pair.get(raw ? "logit" : "sigmoid").getAsDouble(), score, 1e-4, "text " + r.get("index"));
                    assertEquals(true, score <= previous, "best first");
                    previous = score;
                }
            }
        }
    }
}
