package org.bert4j.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.bert4j.server.EmbedRoutesTest.assertClose;
import static org.bert4j.server.EmbedRoutesTest.json;
import static org.bert4j.server.EmbedRoutesTest.vectors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batching is real: 32 clients sending one sentence each at once are answered from fewer than 8 forward passes
 * (counted by /metrics), and each gets its own sentence's embedding, equal to the sentence embedded alone
 * (1e-5; see EmbedRoutesTest for the bound). A long request goes first so that the 32 arrive while the model is
 * busy, as they would on a loaded server; the test then waits until they are all queued.
 */
class BatchingTest {

    @Test
    void thirtyTwoConcurrentSentencesShareFewForwardsAndGetTheirOwnVectors() throws Exception {
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            sentences.add("Sentence number " + i + " is about " + List.of("cats", "politics", "football", "rain").get(i % 4)
                    + (i % 3 == 0 ? " and much more besides, at some length" : ""));
        }
        float[][] alone = new float[32][];
        for (int i = 0; i < 32; i++) {
            alone[i] = TestServers.encoder().encode(sentences.get(i));
        }
        try (BertServer server = TestServers.start(ServerOptions.defaults().withPort(0), false)) {
            Http.post(server, "/embed", "{\"inputs\": \"warm up\"}");
            double forwardsBefore = MetricsTest.scrape(server).get("bert4j_batch_sequences_count");
            String longText = json("a long text to keep the model busy for a while ".repeat(12));
            String blocker = "{\"truncate\": true, \"inputs\": [" + String.join(",", java.util.Collections.nCopies(16, longText))
                    + "]}";
            CompletableFuture<Http.Answer> busy = CompletableFuture.supplyAsync(() -> Http.post(server, "/embed", blocker));
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Http.Answer>> answers = new ArrayList<>();
            for (String sentence : sentences) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return Http.post(server, "/embed", "{\"inputs\": " + json(sentence) + "}");
                }, r -> Thread.ofPlatform().start(r)));
            }
            go.countDown();
            assertEquals(200, busy.get(120, TimeUnit.SECONDS).status());
            for (int i = 0; i < 32; i++) {
                Http.Answer a = answers.get(i).get(120, TimeUnit.SECONDS);
                assertEquals(200, a.status(), a.body());
                float[][] got = vectors(a.json());
                assertEquals(1, got.length);
                assertClose(alone[i], got[0], 1e-5, "client " + i + " got the vector of its own sentence");
            }
            double forwards = MetricsTest.scrape(server).get("bert4j_batch_sequences_count") - forwardsBefore;
            System.out.println("BatchingTest: 32 concurrent sentences took " + (forwards - 1) + " forwards");
            // The long request's own forward, then the 32 sentences.
            assertTrue(forwards - 1 < 8, "32 concurrent sentences took " + (forwards - 1) + " forwards");
        }
    }
}
