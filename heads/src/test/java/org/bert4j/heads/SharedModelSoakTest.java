package org.bert4j.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.ner.Entity;
import org.bert4j.heads.ner.TagScheme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sixteen threads share one {@link SentenceEncoder} and one {@link MultiTaskModel} (a classification and an NER head
 * on the default model) for a bounded time, with texts of 2 to 512 tokens in batches of 1 to 12: every result equals
 * the same text's result computed alone on one thread and no call fails. Then the same threads make calls of one
 * small shape for 4 s (hundreds to thousands, as fast as the machine goes), and the heap after a full GC may not grow by
 * more than 16 MB over them. (The engine keeps
 * up to one idle activation workspace per compute thread, each sized for the largest batch that used it, up to 80 MB
 * here; after the mixed phase they can only be replaced by smaller ones, so any growth over the fixed-shape phase is a
 * leak, not the cache.) Then {@code close()} races with calls on eight threads: each completes with the right result or
 * fails with "is closed", and nothing hangs (a timeout fails the test).
 *
 * <p>Tolerance 1e-5: a text's vector depends in its last bits on the batch it shares (the GEMM backend is chosen per
 * shape; measured here: 35 of 103 rows bit-equal, max difference 1.9e-7 on unit vectors), never more. Arg-max answers
 * (a label, an entity's tag) are compared only where the reference's top two logits are more than 1e-5 apart, 25 times
 * the logit movement such bits can cause (4e-7 for these heads); entity scores, spans and probabilities always.
 */
class SharedModelSoakTest {
    static final int THREADS = 16;
    static final long MIXED_MILLIS = 10_000;
    static final long FIXED_SHAPE_MILLIS = 4_000;
    static final float TOLERANCE = 1e-5f;
    /** Retained heap may grow this much over the fixed-shape phase. */
    static final long HEAP_GROWTH_BOUND = 16L << 20;

    static SentenceEncoder encoder;
    static MultiTaskModel model;
    static final List<String> TEXTS = new ArrayList<>();
    static final List<float[]> VECTORS = new ArrayList<>();
    static final List<ClassPrediction> CLASSES = new ArrayList<>();
    static final List<List<Entity>> ENTITIES = new ArrayList<>();
    static final List<Boolean> CLASS_TIE = new ArrayList<>();
    static final List<Boolean> NER_TIE = new ArrayList<>();

    @BeforeAll
    static void referencesAloneOnOneThread() throws Exception {
        encoder = SentenceEncoder.load(BundledModels.defaultModel(), EncoderOptions.defaults().withMaxLength(512));
        model = models();
        Random random = new Random(16);
        String[] words = ("the cat sat on a mat while Anna from Paris wrote to Microsoft about 42 distant towns "
                + "where unbelievably quiet bells rang").split(" ");
        // From the empty text ([CLS] [SEP]) to texts cut at 512 tokens; most short, as real traffic is.
        int[] wordCounts = {0, 1, 2, 3, 5, 8, 12, 20, 30, 45, 60, 90, 130, 300, 700};
        for (int i = 0; i < 32; i++) {
            int n = i < wordCounts.length ? wordCounts[i] : random.nextInt(64);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < n; w++) {
                text.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            TEXTS.add(text.toString());
        }
        for (String text : TEXTS) {
            VECTORS.add(encoder.encode(text));
            Map<String, Prediction> alone = model.predictAll(List.of(text)).getFirst();
            CLASSES.add((ClassPrediction) alone.get("topic"));
            ENTITIES.add(((EntitiesPrediction) alone.get("ner")).entities());
            // The heads' logits on the same text alone, to find the arg-maxes its last bits could flip.
            BertModelOutput out = model.backbone().forward(List.of(model.backbone().tokenize(text)));
            float[] pooled = ((ClassificationHead) model.head("topic")).pool(out, 0);
            CLASS_TIE.add(nearTie(model.head("topic").logits(pooled, 1), 1));
            int rows = out.sequenceLengths()[0];
            NER_TIE.add(nearTie(model.head("ner").logits(out.sequence(0), rows), rows));
        }
        assertTrue(TEXTS.stream().anyMatch(t -> model.backbone().tokenize(t).length() == 512), "some texts are cut at 512");
        assertTrue(TEXTS.stream().anyMatch(t -> model.backbone().tokenize(t).length() == 2), "and one is only [CLS] [SEP]");
    }

    static MultiTaskModel models() throws Exception {
        MultiTaskModel m = MultiTaskModel.on(BertBackbone.bundled(BundledModels.DEFAULT_MODEL, 512, EngineOptions.defaults()));
        m.addClassificationHead("topic", List.of("world", "sports", "business", "science", "arts"), Pooling.MEAN, 7);
        m.addTokenClassificationHead("ner", List.of("PER", "ORG", "LOC"), TagScheme.BIO, 8);
        return m.withBatchSize(5);   // the model's own batching splits larger calls
    }

    /** Whether any row's two largest logits are within 1e-5: an arg-max the last bits could flip. */
    static boolean nearTie(double[] logits, int rows) {
        int labels = logits.length / rows;
        for (int r = 0; r < rows; r++) {
            double best = Double.NEGATIVE_INFINITY;
            double second = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < labels; c++) {
                double v = logits[r * labels + c];
                if (v > best) {
                    second = best;
                    best = v;
                } else if (v > second) {
                    second = v;
                }
            }
            if (best - second <= 1e-5) {
                return true;
            }
        }
        return false;
    }

    @AfterAll
    static void close() {
        encoder.close();
        model.close();
    }

    /** One random call on the shared instances; checks every result against the references. */
    static int call(Random random, SentenceEncoder encoder, MultiTaskModel model) {
        int size = 1 + random.nextInt(12);
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            picked.add(random.nextInt(TEXTS.size()));
        }
        return call(random, encoder, model, picked);
    }

    /** Four texts of 1-5 words (3-7 tokens): one small shape. */
    static int smallCall(Random random, SentenceEncoder encoder, MultiTaskModel model) {
        return call(random, encoder, model, List.of(1, 2, 3, 4));
    }

    static int call(Random random, SentenceEncoder encoder, MultiTaskModel model, List<Integer> picked) {
        int size = picked.size();
        List<String> batch = picked.stream().map(TEXTS::get).toList();
        switch (random.nextInt(3)) {
            case 0 -> {
                float[][] vectors = encoder.encode(batch);
                for (int i = 0; i < size; i++) {
                    assertArrayEquals(VECTORS.get(picked.get(i)), vectors[i], TOLERANCE, "vector of text " + picked.get(i));
                }
            }
            case 1 -> {
                List<ClassPrediction> classes = model.classify(batch, "topic");
                for (int i = 0; i < size; i++) {
                    assertSameClass(picked.get(i), classes.get(i));
                }
            }
            default -> {
                List<Map<String, Prediction>> all = model.predictAll(batch);
                for (int i = 0; i < size; i++) {
                    assertSameClass(picked.get(i), (ClassPrediction) all.get(i).get("topic"));
                    assertSameEntities(picked.get(i), ((EntitiesPrediction) all.get(i).get("ner")).entities());
                }
            }
        }
        return size;
    }

    static void assertSameClass(int text, ClassPrediction got) {
        ClassPrediction expected = CLASSES.get(text);
        if (!CLASS_TIE.get(text)) {
            assertEquals(expected.label(), got.label(), "label of text " + text);
        }
        for (Map.Entry<String, Double> p : expected.probabilities().entrySet()) {
            assertEquals(p.getValue(), got.probabilities().get(p.getKey()), TOLERANCE, p.getKey() + " of text " + text);
        }
    }

    static void assertSameEntities(int text, List<Entity> got) {
        if (NER_TIE.get(text)) {
            return;
        }
        List<Entity> expected = ENTITIES.get(text);
        assertEquals(expected.size(), got.size(), "entities of text " + text);
        for (int e = 0; e < expected.size(); e++) {
            Entity a = expected.get(e);
            Entity b = got.get(e);
            assertEquals(List.of(a.label(), a.start(), a.end(), a.text()), List.of(b.label(), b.start(), b.end(), b.text()));
            assertEquals(a.score(), b.score(), TOLERANCE);
        }
    }

    interface Caller {
        int call(Random random, SentenceEncoder encoder, MultiTaskModel model);
    }

    /** Runs calls on {@code THREADS} threads until the deadline; returns the texts checked. Failures are collected. */
    static long runFor(ExecutorService pool, long millis, long seed, Caller caller, ConcurrentLinkedQueue<Throwable> failures)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        AtomicLong texts = new AtomicLong();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(seed * 100 + t);
            workers.add(pool.submit(() -> {
                try {
                    do {
                        texts.addAndGet(caller.call(random, encoder, model));
                    } while (System.nanoTime() < deadline);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(2, TimeUnit.MINUTES);
        }
        return texts.get();
    }

    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sixteenThreadsGetWhatOneThreadGetsAloneAndMemoryStaysFlat() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try {
            long mixed = runFor(pool, MIXED_MILLIS, 1, SharedModelSoakTest::call, failures);
            long heapBefore = heapAfterGc();
            long small = runFor(pool, FIXED_SHAPE_MILLIS, 2, SharedModelSoakTest::smallCall, failures);
            long heapAfter = heapAfterGc();
            if (!failures.isEmpty()) {
                Throwable e = failures.peek();
                fail(failures.size() + " of " + THREADS + " threads failed; the first: " + e, e);
            }
            long nerCompared = NER_TIE.stream().filter(tie -> !tie).count();
            System.out.printf("soak: %d mixed texts, then %d in calls of 4, checked on %d threads; heap after GC %.1f MB ->"
                            + " %.1f MB over the calls of 4; entities compared on %d of %d texts%n", mixed, small, THREADS,
                    heapBefore / 1e6, heapAfter / 1e6, nerCompared, TEXTS.size());
            assertTrue(mixed > THREADS && small > 4 * THREADS, "every thread made calls: " + mixed + ", " + small);
            assertTrue(nerCompared >= TEXTS.size() * 3 / 4, "entities compared on " + nerCompared + " texts");
            assertTrue(heapAfter - heapBefore < HEAP_GROWTH_BOUND,
                    "retained heap grew " + (heapAfter - heapBefore) / 1e6 + " MB over " + small / 4 + " calls");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeRacingWithCallsLetsEachCompleteOrFailAsClosedAndNeverHangs() throws Exception {
        SentenceEncoder racedEncoder = SentenceEncoder.load(BundledModels.defaultModel(), EncoderOptions.defaults().withMaxLength(512));
        MultiTaskModel racedModel = models();
        int threads = THREADS / 2;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch everyoneCalled = new CountDownLatch(threads);
        List<Future<Throwable>> outcomes = new ArrayList<>();
        AtomicLong completed = new AtomicLong();
        try {
            for (int t = 0; t < threads; t++) {
                Random random = new Random(500 + t);
                outcomes.add(pool.submit(() -> {
                    boolean counted = false;
                    while (true) {
                        try {
                            completed.addAndGet(call(random, racedEncoder, racedModel));
                        } catch (Throwable e) {
                            if (!counted) {
                                everyoneCalled.countDown();
                            }
                            return e;   // the first failure ends this caller: it must be the "closed" one
                        }
                        if (!counted) {
                            everyoneCalled.countDown();
                            counted = true;
                        }
                    }
                }));
            }
            assertTrue(everyoneCalled.await(2, TimeUnit.MINUTES), "every caller finished a call before close");
            Thread closer = Thread.ofPlatform().start(() -> {
                racedEncoder.close();
                racedModel.close();
            });
            closer.join(TimeUnit.MINUTES.toMillis(1));
            assertTrue(!closer.isAlive(), "close() hung while calls were running");
            for (Future<Throwable> outcome : outcomes) {
                Throwable e;
                try {
                    e = outcome.get(1, TimeUnit.MINUTES);
                } catch (TimeoutException hang) {
                    throw new AssertionError("a call racing close() hung", hang);
                }
                if (!(e instanceof IllegalStateException) || !e.getMessage().contains("is closed")) {
                    throw new AssertionError("a call racing close() failed otherwise: " + e, e);
                }
            }
            System.out.printf("close race: %d texts completed correctly, then every caller was told 'is closed'%n",
                    completed.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
