package org.bert4j.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.Normalize;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.engine.TokenBatch;
import org.bert4j.tokenizer.Encoding;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /embed, /embed_all and /v1/embeddings against the in-process oracle (SentenceEncoder, BertModel), and their
 * errors. Tolerance 1e-5 per component: a request's forward packs other sequences than the oracle's, which moves
 * the GEMMs' summation order (the engine documents ≤ 2e-6 relative between kernel tiers); vector components are
 * below 1, so 1e-5 is five times the bound.
 */
class EmbedRoutesTest {

    static final double TOLERANCE = 1e-5;
    static final List<String> TEXTS = List.of("What is Deep Learning?", "The cat is running around outside",
            "Biden Signs Executive Order On Abortion Access", "Héllo, naïve café! 🎉");

    static float[][] vectors(JsonElement json) {
        JsonArray outer = json.getAsJsonArray();
        float[][] out = new float[outer.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vector(outer.get(i));
        }
        return out;
    }

    static float[] vector(JsonElement json) {
        JsonArray v = json.getAsJsonArray();
        float[] out = new float[v.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = v.get(j).getAsFloat();
        }
        return out;
    }

    static void assertClose(float[] want, float[] got, double tolerance, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tolerance, what + ": component " + i);
        }
    }

    static String json(String text) {
        return new com.google.gson.JsonPrimitive(text).toString();
    }

    @Test
    void embedsABatchAsTheSentenceEncoderDoes() {
        Http.Answer a = Http.post(TestServers.shared(), "/embed",
                "{\"inputs\": [" + String.join(",", TEXTS.stream().map(EmbedRoutesTest::json).toList()) + "]}");
        assertEquals(200, a.status(), a.body());
        float[][] got = vectors(a.json());
        float[][] want = TestServers.encoder().encode(TEXTS);
        assertEquals(TEXTS.size(), got.length);
        for (int i = 0; i < want.length; i++) {
            assertClose(want[i], got[i], TOLERANCE, TEXTS.get(i));
        }
    }

    @Test
    void oneStringIsAnsweredAsAListOfOneVector() {
        Http.Answer a = Http.post(TestServers.shared(), "/embed", "{\"inputs\": " + json(TEXTS.get(1)) + "}");
        assertEquals(200, a.status(), a.body());
        float[][] got = vectors(a.json());
        assertEquals(1, got.length);
        assertClose(TestServers.encoder().encode(TEXTS.get(1)), got[0], TOLERANCE, "single");
    }

    @Test
    void normalizeFalseReturnsThePooledVectorAndDimensionsCutThenRenormalise() {
        SentenceEncoder encoder = TestServers.encoder();
        BertModelOutput out = encoder.model().forward(encoder.input().batch(List.of(TEXTS.getFirst())));
        float[] pooled = out.pool(encoder.pooling(), 0);
        Http.Answer raw = Http.post(TestServers.shared(), "/embed",
                "{\"inputs\": " + json(TEXTS.getFirst()) + ", \"normalize\": false}");
        assertEquals(200, raw.status(), raw.body());
        assertClose(pooled, vectors(raw.json())[0], TOLERANCE, "unnormalised");
        double norm = 0;
        for (float x : pooled) {
            norm += x * x;
        }
        assertTrue(Math.abs(Math.sqrt(norm) - 1) > 0.01, "the test needs a pooled vector that is not a unit vector");

        float[] cut = Arrays.copyOf(pooled, 64);
        Normalize.l2(cut);
        Http.Answer shortened = Http.post(TestServers.shared(), "/embed",
                "{\"inputs\": " + json(TEXTS.getFirst()) + ", \"dimensions\": 64}");
        assertEquals(200, shortened.status(), shortened.body());
        assertClose(cut, vectors(shortened.json())[0], TOLERANCE, "64 dimensions");
    }

    @Test
    void embedAllReturnsEveryTokensHiddenState() {
        SentenceEncoder encoder = TestServers.encoder();
        Encoding e = encoder.input().encode(TEXTS.get(3));
        BertModelOutput out = encoder.model().forward(TokenBatch.of(List.of(e)));
        Http.Answer a = Http.post(TestServers.shared(), "/embed_all", "{\"inputs\": [" + json(TEXTS.get(3)) + "]}");
        assertEquals(200, a.status(), a.body());
        JsonArray matrices = a.json().getAsJsonArray();
        assertEquals(1, matrices.size());
        float[][] tokens = vectors(matrices.get(0));
        assertEquals(e.length(), tokens.length, "[CLS] and [SEP] included");
        for (int t = 0; t < tokens.length; t++) {
            assertClose(out.tokenVector(0, t), tokens[t], TOLERANCE, "token " + t);
        }
    }

    @Test
    void openAiRouteAnswersFloatsBase64AndUsage() {
        Http.Answer a = Http.post(TestServers.shared(), "/v1/embeddings",
                "{\"input\": [" + json(TEXTS.get(0)) + "," + json(TEXTS.get(2)) + "], \"model\": \"anything\"}");
        assertEquals(200, a.status(), a.body());
        JsonObject body = a.json().getAsJsonObject();
        assertEquals("list", body.get("object").getAsString());
        assertEquals("all-MiniLM-L6-v2", body.get("model").getAsString());
        int tokens = TestServers.encoder().input().encode(TEXTS.get(0)).length()
                + TestServers.encoder().input().encode(TEXTS.get(2)).length();
        assertEquals(tokens, body.getAsJsonObject("usage").get("prompt_tokens").getAsInt());
        assertEquals(tokens, body.getAsJsonObject("usage").get("total_tokens").getAsInt());
        float[][] want = TestServers.encoder().encode(List.of(TEXTS.get(0), TEXTS.get(2)));
        JsonArray data = body.getAsJsonArray("data");
        for (int i = 0; i < 2; i++) {
            JsonObject item = data.get(i).getAsJsonObject();
            assertEquals(i, item.get("index").getAsInt());
            assertEquals("embedding", item.get("object").getAsString());
            assertClose(want[i], vector(item.get("embedding")), TOLERANCE, "float");
        }

        Http.Answer b = Http.post(TestServers.shared(), "/v1/embeddings",
                "{\"input\": " + json(TEXTS.get(0)) + ", \"encoding_format\": \"base64\", \"dimensions\": 128}");
        assertEquals(200, b.status(), b.body());
        String encoded = b.json().getAsJsonObject().getAsJsonArray("data").get(0).getAsJsonObject()
                .get("embedding").getAsString();
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(decoded);
        SentenceEncoder encoder = TestServers.encoder();
        float[] cut = Arrays.copyOf(encoder.model().forward(encoder.input().batch(List.of(TEXTS.get(0))))
                .pool(encoder.pooling(), 0), 128);
        Normalize.l2(cut);
        assertClose(cut, decoded, TOLERANCE, "base64, 128 dimensions");
    }

    @Test
    void promptNamePutsThePromptBeforeTheText() throws Exception {
        // A copy of the model folder (links, not bytes) with sentence-transformers' prompts.
        Path dir = Files.createTempDirectory("bert4j-prompts");
        try (Stream<Path> files = Files.list(TestServers.modelDir())) {
            for (Path f : files.toList()) {
                Files.createSymbolicLink(dir.resolve(f.getFileName()), f);
            }
        }
        Files.writeString(dir.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"}}");
        try (BertServer server = BertServer.start(dir, null, ServerOptions.defaults().withPort(0))) {
            Http.Answer a = Http.post(server, "/embed", "{\"inputs\": \"how do cats run\", \"prompt_name\": \"query\"}");
            assertEquals(200, a.status(), a.body());
            assertClose(TestServers.encoder().encode("query: how do cats run"), vectors(a.json())[0], TOLERANCE,
                    "prompted");
            Http.Answer unknown = Http.post(server, "/embed", "{\"inputs\": \"x\", \"prompt_name\": \"document\"}");
            assertEquals(413, unknown.status(), unknown.body());
            assertEquals("validation", unknown.errorType());
            assertTrue(unknown.error().contains("[passage, query]"), unknown.error());
        }
    }

    @Test
    void tooLongInputIsRefusedUnlessTruncated() {
        String longText = "word ".repeat(400);
        Http.Answer refused = Http.post(TestServers.shared(), "/embed", "{\"inputs\": [\"short\", " + json(longText) + "]}");
        assertEquals(413, refused.status(), refused.body());
        assertEquals("validation", refused.errorType());
        assertTrue(refused.error().contains("`inputs[1]` must have at most 256 tokens") && refused.error().contains("402"),
                refused.error());

        Http.Answer cut = Http.post(TestServers.shared(), "/embed", "{\"inputs\": " + json(longText) + ", \"truncate\": true}");
        assertEquals(200, cut.status(), cut.body());
        assertClose(TestServers.encoder().encode(longText), vectors(cut.json())[0], TOLERANCE, "truncated at 256");
    }

    @Test
    void malformedRequestsAre422NamingTheField() {
        BertServer server = TestServers.shared();
        assertError(Http.post(server, "/embed", "{\"inputs\": 5}"), 422, "validation", "`inputs` must be a string");
        assertError(Http.post(server, "/embed", "{\"inputs\": [\"a\", 3]}"), 422, "validation", "`inputs[1]` must be a string");
        assertError(Http.post(server, "/embed", "{}"), 422, "validation", "`inputs` is required");
        assertError(Http.post(server, "/embed", "{\"inputs\": \"a\", \"normalize\": \"yes\"}"), 422, "validation",
                "`normalize` must be true or false");
        assertError(Http.post(server, "/embed", "{\"inputs\": \"a\", \"dimensions\": 0}"), 422, "validation",
                "`dimensions` must be a whole number in [1, 384]");
        assertError(Http.post(server, "/embed", "{\"inputs\": \"a\", \"dimensions\": 385}"), 422, "validation",
                "`dimensions`");
        assertError(Http.post(server, "/embed", "{\"inputs\": \"a\", \"truncation_direction\": \"left\"}"), 422,
                "validation", "`truncation_direction`");
        assertError(Http.post(server, "/embed", "{\"inputs\": \"a\",}"), 422, "validation", "not valid JSON");
        assertError(Http.post(server, "/embed", "{\"inputs\": \"a\"} x"), 422, "validation", "not valid JSON");
        assertError(Http.post(server, "/embed", "[\"a\"]"), 422, "validation", "must be a JSON object");
        assertError(Http.post(server, "/embed", ""), 422, "validation", "body is empty");
        assertError(Http.post(server, "/embed", "{\"inputs\": []}"), 400, "empty", "`inputs` cannot be empty");
        assertError(Http.post(server, "/embed", "{\"inputs\": \"\"}"), 413, "validation", "`inputs` cannot be empty");
        String many = "[" + String.join(",", java.util.Collections.nCopies(33, "\"a\"")) + "]";
        assertError(Http.post(server, "/embed", "{\"inputs\": " + many + "}"), 413, "validation",
                "batch size 33 > maximum allowed batch size 32");
        Http.Answer openAi = Http.post(server, "/v1/embeddings", "{\"input\": 7}");
        assertEquals(422, openAi.status());
        JsonObject error = openAi.json().getAsJsonObject();
        assertEquals(422, error.get("code").getAsInt(), "OpenAI-shaped error, as TEI words it");
        assertEquals("validation", error.get("type").getAsString());
        assertTrue(error.get("message").getAsString().contains("`input` must be a string"), openAi.body());
        assertError(Http.post(server, "/v1/embeddings", "{\"input\": \"a\", \"encoding_format\": \"int8\"}"), 422,
                null, null);
    }

    static void assertError(Http.Answer a, int status, String type, String messagePart) {
        assertEquals(status, a.status(), a.body());
        if (type != null) {
            assertEquals(type, a.errorType(), a.body());
        }
        if (messagePart != null) {
            assertTrue(a.error().contains(messagePart), "'" + a.error() + "' should contain '" + messagePart + "'");
        }
    }
}
