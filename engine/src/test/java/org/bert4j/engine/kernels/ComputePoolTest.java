package org.bert4j.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
    void spinAndPlacementAreOptionsCheckedWhenAPoolIsCreated() {
        for (long spin : new long[] {0, 250_000, 1_000_000_000L}) {
            for (boolean place : new boolean[] {true, false}) {
                try (ComputePool pool = ComputePool.create(2, spin, place)) {
                    AtomicIntegerArray counts = new AtomicIntegerArray(10);
                    pool.parallelFor(10, counts::incrementAndGet);
                    assertEquals(1, counts.get(9));
                }
            }
        }
        for (long bad : new long[] {-1, 1_000_000_001L}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ComputePool.create(2, bad, true));
            assertTrue(e.getMessage().contains("spinNanos"), e.getMessage());
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
    @Timeout(60)
    void workIsSharedBetweenThreads() {
        try (ComputePool pool = ComputePool.create(2)) {
            var names = ConcurrentHashMap.<String>newKeySet();
            // Each of the two iterations waits until both have started: the caller, held in its own, cannot run the
            // other, so the loop only finishes if the helper runs it (no timing involved: a missing helper hangs
            // until the test's timeout).
            CountDownLatch bothStarted = new CountDownLatch(2);
            pool.parallelFor(2, i -> {
                names.add(Thread.currentThread().getName());
                bothStarted.countDown();
                try {
                    bothStarted.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
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
}
