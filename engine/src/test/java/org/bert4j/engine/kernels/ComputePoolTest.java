package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ComputePoolTest {

    @Test
    void everyIterationRunsExactlyOnce() {
        for (int threads : new int[] {1, 2, 3}) {
            try (ComputePool pool = ComputePool.create(threads)) {
                for (int n : new int[] {0, 1, 2, 7, 1000}) {
                    AtomicIntegerArray counts = new AtomicIntegerArray(n);
                    pool.parallelFor(n, counts::incrementAndGet);
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, counts.get(i), "threads=" + threads + " n=" + n + " i=" + i);
                    }
                }
            }
        }
    }

    @Test
    void helpersSpinForTheConfiguredMicrosecondsBeforeParking() {
        assertEquals(5_000_000L, Helpers.spinNanosOf(null), "default: 5 ms");
        assertEquals(0L, Helpers.spinNanosOf("0"));
        assertEquals(250_000L, Helpers.spinNanosOf(" 250 "));
        assertEquals(1_000_000_000L, Helpers.spinNanosOf("1000000"));
        for (String bad : new String[] {"", "-1", "1000001", "5ms", "1e3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Helpers.spinNanosOf(bad), bad);
            assertTrue(e.getMessage().contains("bert4j.spinMicros") && e.getMessage().contains('"' + bad + '"'),
                    e.getMessage());
        }
    }

    @Test
    void aBadSpinPropertyIsAClearErrorWhenAPoolIsCreated() {
        String before = System.getProperty(Helpers.SPIN_PROPERTY);
        System.setProperty(Helpers.SPIN_PROPERTY, "5ms");
        try {
            for (int threads : new int[] {1, 2}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ComputePool.create(threads).close());
                assertTrue(e.getMessage().contains("bert4j.spinMicros"), e.getMessage());
            }
        } finally {
            if (before == null) {
                System.clearProperty(Helpers.SPIN_PROPERTY);
            } else {
                System.setProperty(Helpers.SPIN_PROPERTY, before);
            }
        }
        try (ComputePool pool = ComputePool.create(2)) {
            AtomicIntegerArray counts = new AtomicIntegerArray(10);
            pool.parallelFor(10, counts::incrementAndGet);
            assertEquals(1, counts.get(9));
        }
    }

    @Test
    void rangesCoverTheLoopWithoutOverlap() {
        try (ComputePool pool = ComputePool.create(2)) {
            AtomicIntegerArray counts = new AtomicIntegerArray(101);
            pool.parallelForRanges(101, 4, (from, to) -> {
                for (int i = from; i < to; i++) {
                    counts.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 101; i++) {
                assertEquals(1, counts.get(i));
            }
        }
    }

    @Test
    void workIsSharedBetweenThreads() {
        try (ComputePool pool = ComputePool.create(2)) {
            var names = ConcurrentHashMap.<String>newKeySet();
            pool.parallelFor(64, i -> {
                names.add(Thread.currentThread().getName());
                long end = System.nanoTime() + 200_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            });
            assertEquals(2, names.size(), names.toString());
        }
    }

    @Test
    @Timeout(20)
    void nestedLoopsOnABusyPoolDoNotDeadlock() {
        try (ComputePool pool = ComputePool.create(2)) {
            AtomicIntegerArray counts = new AtomicIntegerArray(16 * 16);
            pool.parallelFor(16, i -> pool.parallelFor(16, j -> counts.incrementAndGet(i * 16 + j)));
            for (int i = 0; i < 256; i++) {
                assertEquals(1, counts.get(i));
            }
        }
    }

    @Test
    void anIterationsExceptionReachesTheCaller() {
        try (ComputePool pool = ComputePool.create(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.parallelFor(100, i -> {
                if (i == 37) {
                    throw new IllegalStateException("boom at 37");
                }
            }));
            assertEquals("boom at 37", e.getMessage());
            // The pool still works afterwards.
            AtomicIntegerArray counts = new AtomicIntegerArray(10);
            pool.parallelFor(10, counts::incrementAndGet);
            assertEquals(1, counts.get(9));
        }
    }

    @Test
    void badArgumentsAndClosedPoolsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputePool.create(0));
        assertTrue(e.getMessage().contains("threads"));
        ComputePool pool = ComputePool.create(2);
        assertThrows(IllegalArgumentException.class, () -> pool.parallelFor(-1, i -> { }));
        assertThrows(IllegalArgumentException.class, () -> pool.parallelFor(3, null));
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.parallelFor(3, i -> { }));
    }

    @Test
    void theSharedPoolHasOneThreadPerProcessorAndIgnoresClose() {
        ComputePool shared = ComputePool.shared();
        assertEquals(Runtime.getRuntime().availableProcessors(), shared.threads());
        shared.close();
        AtomicIntegerArray counts = new AtomicIntegerArray(4);
        shared.parallelFor(4, counts::incrementAndGet);
        assertEquals(1, counts.get(3));
    }
}
