package org.bert4j.server;

import org.bert4j.engine.BertModel;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.ModelInput;
import org.bert4j.engine.TokenBatch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dynamic batcher on the real model. The worker is held still by an observer that waits on a latch before its
 * first forward, so what gets queued meanwhile is known exactly: no test here depends on timing.
 */
class InferenceQueueTest {

    static final long FAR = Long.MAX_VALUE / 4;

    /** Records every batch; blocks the worker before its first forward until {@link #release()}. */
    static final class Gate implements BatchObserver {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        final List<int[]> batches = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void batch(int sequences, int tokens, double seconds) {
            batches.add(new int[] {sequences, tokens});
        }

        @Override
        public void dequeued(double seconds) {
            held.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void release() {
            open.countDown();
        }
    }

    static BertModel model() {
        return TestServers.encoder().model();
    }

    static TokenBatch batch(String... texts) {
        return TestServers.encoder().input().batch(List.of(texts));
    }

    @Test
    void eachCallerGetsItsOwnRowsFromOnePackedForward() throws Exception {
        Gate gate = new Gate();
        String[] texts = {"first text", "a second, longer text about cats", "third", "the fourth one", "fifth text here"};
        try (InferenceQueue queue = new InferenceQueue(model(), 16384, 1024, gate)) {
            // One blocker, then five callers queue behind it while the worker is held.
            CompletableFuture<BertModelOutput> blocker = async(queue, batch("blocker"));
            assertTrue(gate.held.await(60, TimeUnit.SECONDS));
            List<CompletableFuture<BertModelOutput>> calls = new ArrayList<>();
            for (String text : texts) {
                calls.add(async(queue, batch(text)));
            }
            while (queue.depth() < texts.length) {
                Thread.sleep(1);
            }
            gate.release();
            blocker.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < texts.length; i++) {
                BertModelOutput got = calls.get(i).get(60, TimeUnit.SECONDS);
                BertModelOutput alone = model().forward(batch(texts[i]));
                assertEquals(1, got.size());
                assertEquals(alone.sequenceLengths()[0], got.sequenceLengths()[0], texts[i]);
                float[] want = alone.sequence(0);
                float[] have = got.sequence(0);
                for (int k = 0; k < want.length; k++) {
                    assertEquals(want[k], have[k], 1e-5, texts[i] + " value " + k);
                }
            }
            assertEquals(2, gate.batches.size(), "the blocker alone, then the five callers in one forward");
            assertEquals(5, gate.batches.get(1)[0]);
        }
    }

    @Test
    void aForwardNeverPacksMoreThanTheTokenAndSequenceBudgets() throws Exception {
        Gate gate = new Gate();
        ModelInput input = TestServers.encoder().input();
        try (InferenceQueue queue = new InferenceQueue(model(), 24, 3, gate)) {
            CompletableFuture<BertModelOutput> blocker = async(queue, batch("blocker"));
            assertTrue(gate.held.await(60, TimeUnit.SECONDS));
            List<CompletableFuture<BertModelOutput>> calls = new ArrayList<>();
            int sequences = 0;
            int tokens = 0;
            for (int i = 0; i < 12; i++) {
                String text = "word ".repeat(1 + i % 6);
                calls.add(async(queue, batch(text, "x")));
                sequences += 2;
                tokens += input.encode(text).length() + input.encode("x").length();
            }
            while (queue.depth() < sequences) {
                Thread.sleep(1);
            }
            gate.release();
            blocker.get(60, TimeUnit.SECONDS);
            for (CompletableFuture<BertModelOutput> call : calls) {
                assertEquals(2, call.get(60, TimeUnit.SECONDS).size());
            }
            int seenSequences = 0;
            int seenTokens = 0;
            for (int[] b : gate.batches.subList(1, gate.batches.size())) {
                assertTrue(b[0] <= 3, "at most 3 sequences, got " + b[0]);
                assertTrue(b[1] <= 24, "at most 24 tokens, got " + b[1]);
                seenSequences += b[0];
                seenTokens += b[1];
            }
            assertEquals(sequences, seenSequences, "every sequence ran once");
            assertEquals(tokens, seenTokens);
        }
    }

    @Test
    void aCallerThatTimedOutCostsNoForward() throws Exception {
        Gate gate = new Gate();
        try (InferenceQueue queue = new InferenceQueue(model(), 16384, 1024, gate)) {
            CompletableFuture<BertModelOutput> blocker = async(queue, batch("blocker"));
            assertTrue(gate.held.await(60, TimeUnit.SECONDS));
            assertThrows(TimeoutException.class, () -> queue.forward(batch("too late", "me too"),
                    System.nanoTime() + 20_000_000L));
            gate.release();
            blocker.get(60, TimeUnit.SECONDS);
            assertEquals(1, queue.forward(batch("after"), System.nanoTime() + 60_000_000_000L).size());
            int sequences = gate.batches.stream().mapToInt(b -> b[0]).sum();
            assertEquals(2, sequences, "the blocker and 'after' ran; the two abandoned sequences did not");
        }
    }

    @Test
    void closeAnswersWhatWasQueuedThenRefusesMore() throws Exception {
        Gate gate = new Gate();
        InferenceQueue queue = new InferenceQueue(model(), 16384, 1024, gate);
        CompletableFuture<BertModelOutput> blocker = async(queue, batch("blocker"));
        assertTrue(gate.held.await(60, TimeUnit.SECONDS));
        CompletableFuture<BertModelOutput> queued = async(queue, batch("queued before close"));
        while (queue.depth() < 1) {
            Thread.sleep(1);
        }
        CompletableFuture<Void> closing = CompletableFuture.runAsync(queue::close);
        while (!queue.closing()) {
            Thread.sleep(1);
        }
        gate.release();
        closing.get(60, TimeUnit.SECONDS);
        assertEquals(1, blocker.get().size());
        assertEquals(1, queued.get().size(), "accepted before close: answered");
        assertThrows(IllegalStateException.class, () -> queue.forward(batch("after close"), FAR));
    }

    @Test
    void aFailingForwardFailsItsCallersAndTheWorkerGoesOn() throws Exception {
        try (InferenceQueue queue = new InferenceQueue(model(), 16384, 1024, BatchObserver.NONE)) {
            TokenBatch bad = TokenBatch.ofIds(List.of(new int[] {101, 10_000_000, 102}));
            assertThrows(RuntimeException.class, () -> queue.forward(bad, FAR));
            assertEquals(1, queue.forward(batch("still working"), FAR).size());
            TokenBatch huge = TokenBatch.ofIds(List.of(new int[20_000]));
            assertThrows(IllegalArgumentException.class, () -> queue.forward(huge, FAR), "longer than a forward takes");
        }
    }

    static CompletableFuture<BertModelOutput> async(InferenceQueue queue, TokenBatch batch) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return queue.forward(batch, FAR);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }
}
