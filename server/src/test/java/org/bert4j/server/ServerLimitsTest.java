package org.bert4j.server;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.bert4j.server.EmbedRoutesTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limits and the plumbing around the routes: API key, payload limit, 429, unknown routes, /health, /info. */
class ServerLimitsTest {

    @Test
    void apiKeyIsRequiredEverywhereButHealth() throws Exception {
        try (BertServer server = TestServers.start(ServerOptions.defaults().withPort(0).withApiKey("s3cret"), false)) {
            Http.Answer none = Http.post(server, "/embed", "{\"inputs\": \"a\"}");
            assertError(none, 401, "unauthorized", "Authorization: Bearer");
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(null));
            assertEquals(401, Http.send(server, HttpRequest.newBuilder(server.uri().resolve("/embed"))
                    .header("Authorization", "Bearer wrong").POST(HttpRequest.BodyPublishers.ofString("{}"))).status());
            assertEquals(401, Http.get(server, "/metrics").status());
            assertEquals(401, Http.get(server, "/info").status());
            assertEquals(200, Http.get(server, "/health").status(), "health stays open for probes");
            Http.Answer ok = Http.send(server, HttpRequest.newBuilder(server.uri().resolve("/embed"))
                    .header("Authorization", "Bearer s3cret")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": \"a\"}")));
            assertEquals(200, ok.status(), ok.body());
        }
    }

    @Test
    void bodiesOverThePayloadLimitAre413() {
        try (BertServer server = TestServers.start(ServerOptions.defaults().withPort(0).withPayloadLimit(100), false)) {
            assertError(Http.post(server, "/embed", "{\"inputs\": \"" + "a".repeat(200) + "\"}"), 413, "validation",
                    "payload limit (100 bytes)");
            assertEquals(200, Http.post(server, "/embed", "{\"inputs\": \"" + "a".repeat(50) + "\"}").status(),
                    "the connection closed after a 413 does not break the next request");
        }
    }

    @Test
    void requestsBeyondMaxConcurrentRequestsAre429() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A re-ranker that holds its permit until told: the server is then "busy" without any timing.
        Reranker blocking = (query, texts, truncate, raw, deadline) -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[texts.size()];
        };
        ServerOptions options = ServerOptions.defaults().withPort(0).withMaxConcurrentRequests(1);
        try (BertServer server = BertServer.start(ServedModel.load(TestServers.modelDir(), null, options)
                .withReranker(blocking), options)) {
            CompletableFuture<Http.Answer> first = CompletableFuture.supplyAsync(() ->
                    Http.post(server, "/rerank", "{\"query\": \"q\", \"texts\": [\"a\"]}"));
            assertTrue(entered.await(60, TimeUnit.SECONDS));
            assertError(Http.post(server, "/embed", "{\"inputs\": \"a\"}"), 429, "overloaded", "Model is overloaded");
            assertEquals(200, Http.post(server, "/tokenize", "{\"inputs\": \"a\"}").status(),
                    "tokenising takes no inference permit");
            release.countDown();
            assertEquals(200, first.get(60, TimeUnit.SECONDS).status());
            assertEquals(200, Http.post(server, "/embed", "{\"inputs\": \"a\"}").status(), "the permit came back");
        }
    }

    @Test
    void unknownRoutesAndWrongMethods() {
        BertServer server = TestServers.shared();
        Http.Answer missing = Http.post(server, "/embeddings/x", "{}");
        assertError(missing, 404, "not_found", "/embed");
        Http.Answer wrong = Http.get(server, "/embed");
        assertError(wrong, 405, "method_not_allowed", "/embed takes POST");
        assertEquals("POST", wrong.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void healthAndInfo() {
        BertServer server = TestServers.shared();
        Http.Answer health = Http.get(server, "/health");
        assertEquals(200, health.status());
        assertEquals("", health.body());
        JsonObject info = Http.get(server, "/info").json().getAsJsonObject();
        assertEquals("all-MiniLM-L6-v2", info.get("model_id").getAsString());
        assertEquals("mean", info.getAsJsonObject("model_type").getAsJsonObject("embedding").get("pooling").getAsString());
        assertEquals(256, info.get("max_input_length").getAsInt());
        assertEquals(16384, info.get("max_batch_tokens").getAsInt());
        assertTrue(info.get("max_batch_requests").isJsonNull());
        assertEquals(32, info.get("max_client_batch_size").getAsInt());
        assertEquals(512, info.get("max_concurrent_requests").getAsInt());
        assertEquals(2, info.getAsJsonArray("heads").size());
        assertTrue(info.get("version").getAsString().matches("\\d+\\.\\d+.*"), info.toString());
    }

    @Test
    void shutDownServerRefusesConnectionsAndItsHealthSaysSo() {
        BertServer server = TestServers.start(ServerOptions.defaults().withPort(0), false);
        assertEquals(200, Http.post(server, "/embed", "{\"inputs\": \"a\"}").status());
        server.close();
        server.close();
        try {
            Http.get(server, "/health");
            throw new AssertionError("a closed server must not answer");
        } catch (java.io.UncheckedIOException expected) {
            // connection refused
        }
    }
}
