package org.bert4j.heads;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.bert4j.convert.BundledModels;
import org.bert4j.folder.BertConfig;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.bert.RandomCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a backbone loads the model first (weights mapped, compute threads started); whatever fails after that
 * (the tokenizer, the max length, listing the folder) must close it, or each failed open leaks both.
 */
class BertBackboneOpenFailureTest {

    @TempDir
    Path dir;

    /** A random 16-wide model folder; with MiniLM's vocabulary when {@code withVocab}. */
    private Path tinyModel(String name, boolean withVocab) throws Exception {
        Path tiny = Files.createDirectories(dir.resolve(name));
        RandomCheckpoint.write(tiny, BertConfig.of(30522, 16, 1, 2, 32), 1, 0.02, false);
        if (withVocab) {
            Files.copy(BundledModels.defaultModel().resolve("vocab.txt"), tiny.resolve("vocab.txt"));
        }
        return tiny;
    }

    @Test
    void aMissingTokenizerClosesTheLoadedModel() throws Exception {
        Path noVocab = tinyModel("no-vocab", false);
        assertNoThreadOutlives(() -> BertBackbone.open(noVocab, 16, EngineOptions.defaults().withThreads(3)));
    }

    @Test
    void aMaxLengthOutOfRangeClosesTheLoadedModel() throws Exception {
        Path tiny = tinyModel("tiny", true);
        assertNoThreadOutlives(() -> BertBackbone.open(tiny, 100_000, EngineOptions.defaults().withThreads(3)));
    }

    /** Runs {@code open}, which must fail, and checks that the compute threads it started end. */
    private static void assertNoThreadOutlives(Executable open) throws InterruptedException {
        Set<Thread> before = computeThreads();
        Exception failure = assertThrows(Exception.class, open);
        // The model's two helpers (3 threads, the caller included) may still be ending; left running, they never do.
        Set<Thread> started = computeThreads();
        started.removeAll(before);
        for (Thread thread : started) {
            thread.join(10_000);
            assertFalse(thread.isAlive(), thread.getName() + " still runs after the failed open (" + failure + ")");
        }
    }

    private static Set<Thread> computeThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("bert4j-compute-") && thread.isAlive()) {
                threads.add(thread);
            }
        }
        return threads;
    }
}
