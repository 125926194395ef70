package org.bert4j.engine;

import org.bert4j.folder.BertConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a model while other threads run forwards on it: close() waits for the forwards already running (they
 * finish with the right result), later ones fail with "is closed", and nothing reads unmapped weights.
 */
class CloseWhileRunningTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"openblas", "java"})
    void forwardsRunningWhenCloseIsCalledFinishAndLaterOnesFailClearly(String gemm) throws Exception {
        BertConfig c = TinyModels.config();
        TinyModels.write(dir, c, true);
        int[][] ids = TinyModels.randomSequences(5, 16, 64, c.vocabSize());
        TokenBatch batch = TokenBatch.of(ids, null);
        BertModel model = BertModel.load(dir, EngineOptions.defaults().withGemm(gemm).withThreads(2));
        // The kernels are chosen at load and give the same bits in every JIT tier: every forward reproduces this one.
        float[] expected = model.forward(batch).lastHidden();
        int threads = 4;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        CountDownLatch allRunning = new CountDownLatch(threads);
        AtomicInteger finished = new AtomicInteger();
        List<Future<Throwable>> outcomes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            outcomes.add(callers.submit(() -> {
                allRunning.countDown();
                while (true) {
                    try {
                        BertModelOutput out = model.forward(batch);
                        assertArrayEquals(expected, out.lastHidden());
                        finished.incrementAndGet();
                    } catch (Throwable e) {
                        return e;   // the loop ends at the first failure: it must be the clear "closed" error
                    }
                }
            }));
        }
        assertTrue(allRunning.await(30, TimeUnit.SECONDS));
        // Close while the callers are busy: after a few forwards each, so that most are in the middle of one.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (finished.get() < 4 * threads && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        model.close();
        for (Future<Throwable> outcome : outcomes) {
            Throwable e = outcome.get(30, TimeUnit.SECONDS);
            assertEquals(IllegalStateException.class, e.getClass(), () -> stackTrace(e));
            assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        }
        callers.shutdown();
        assertTrue(finished.get() >= 4 * threads, finished + " forwards ran before close");
        model.close();   // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.forward(batch));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }

    private static String stackTrace(Throwable e) {
        var out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
