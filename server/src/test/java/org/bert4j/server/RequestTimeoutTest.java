package org.bert4j.server;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request timeout over HTTP: a request still waiting for the model when its time is up is answered 503 with TEI's
 * error JSON (OpenAI's shape on {@code /v1/embeddings}), what it left in the queue never runs, and the server goes on
 * answering. The batcher is held still by a gate ({@link InferenceQueueTest.Gate}) rather than kept busy by a long
 * input, so the requests certainly wait, however fast the machine.
 */
class RequestTimeoutTest {

    /**
     * Short, but the requests after the timeouts must each fit one forward of a short text into it, on a loaded
     * machine too.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void aRequestStillWaitingAtItsTimeoutIs503AndTheServerCarriesOn() throws Exception {
        // The engine's kernels compiled before the clock matters: the JIT is the JVM's, whichever model warms it.
        TestServers.encoder().encode(EmbedRoutesTest.TEXTS);
        InferenceQueueTest.Gate gate = new InferenceQueueTest.Gate();
        ServerOptions options = ServerOptions.defaults().withPort(0).withRequestTimeout(TIMEOUT);
        try (BertServer server = BertServer.start(ServedModel.load(TestServers.modelDir(), TestServers.headsDir(),
                options, gate), options)) {
            try {
                timeOutBehindAHeldForward(server, gate);
            } finally {
                // Let the held forward finish (a held batcher would keep close() waiting forever).
                gate.release();
            }
            long until = System.nanoTime() + 60_000_000_000L;
            while ((gate.batches.isEmpty() || server.served().queue().depth() > 0) && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertEquals(0, server.served().queue().depth(), "the abandoned sequences left the queue");

            String text = EmbedRoutesTest.TEXTS.get(0);
            Http.Answer embed = Http.post(server, "/embed", "{\"inputs\": \"" + text + "\"}");
            assertEquals(200, embed.status(), embed.body());
            float[] want = TestServers.encoder().encode(text);
            float[] got = EmbedRoutesTest.vectors(embed.json())[0];
            for (int k = 0; k < want.length; k++) {
                assertEquals(want[k], got[k], EmbedRoutesTest.TOLERANCE, "component " + k);
            }
            assertEquals(200, Http.post(server, "/predict", "{\"inputs\": \"queued behind it\"}").status());
            assertEquals(200, Http.post(server, "/v1/embeddings", "{\"input\": \"queued too\"}").status());

            int sequences = gate.batches.stream().mapToInt(b -> b[0]).sum();
            assertEquals(4, sequences, "the held one and the three after it ran; the two abandoned in the queue did not");
            Map<String, Double> metrics = MetricsTest.scrape(server);
            for (String route : List.of("/embed", "/predict", "/v1/embeddings")) {
                String sample = "bert4j_requests_total{route=\"" + route + "\",status=\"";
                assertEquals(1.0, metrics.get(sample + "503\"}"), route);
                assertEquals(1.0, metrics.get(sample + "200\"}"), route);
            }
            assertEquals(1.0, metrics.get("bert4j_requests_in_flight"), "only the scrape itself is in flight");
        }
    }

    /**
     * One request whose forward the gate holds, two more queued behind it (a head's route and OpenAI's, which reach
     * the queue by other paths): all three are answered 503 once their time is up, while the gate still holds.
     */
    private static void timeOutBehindAHeldForward(BertServer server, InferenceQueueTest.Gate gate) throws Exception {
        long sent = System.nanoTime();
        CompletableFuture<Http.Answer> held = CompletableFuture.supplyAsync(() ->
                Http.post(server, "/embed", "{\"inputs\": \"held in the forward pass\"}"));
        assertTrue(gate.held.await(60, TimeUnit.SECONDS), "the batcher took the first request");
        CompletableFuture<Http.Answer> predict = CompletableFuture.supplyAsync(() ->
                Http.post(server, "/predict", "{\"inputs\": \"queued behind it\"}"));
        CompletableFuture<Http.Answer> openAi = CompletableFuture.supplyAsync(() ->
                Http.post(server, "/v1/embeddings", "{\"input\": \"queued too\"}"));

        Http.Answer embed = held.get(60, TimeUnit.SECONDS);
        double waited = (System.nanoTime() - sent) / 1e9;
        assertTeiTimeout(embed);
        assertTrue(embed.error().contains("request timeout"), embed.body());
        assertTrue(waited >= TIMEOUT.toMillis() / 1e3, "answered after " + waited + " s, before its timeout");
        assertTeiTimeout(predict.get(60, TimeUnit.SECONDS));
        Http.Answer openAiAnswer = openAi.get(60, TimeUnit.SECONDS);
        assertEquals(503, openAiAnswer.status(), openAiAnswer.body());
        JsonObject error = openAiAnswer.json().getAsJsonObject();
        assertEquals(503, error.get("code").getAsInt(), openAiAnswer.body());
        assertEquals("timeout", error.get("type").getAsString(), openAiAnswer.body());
        assertEquals(200, Http.get(server, "/health").status(), "a timeout is the request's, not the server's");
        assertEquals(2, server.served().queue().depth(), "the two queued sequences wait, abandoned, for the batcher");
    }

    /** 503 with TEI's error body: an object of {@code error} and {@code error_type}, nothing else. */
    static void assertTeiTimeout(Http.Answer answer) {
        EmbedRoutesTest.assertError(answer, 503, "timeout", "ms for the model");
        assertEquals(Set.of("error", "error_type"), answer.json().getAsJsonObject().keySet(), answer.body());
    }
}
