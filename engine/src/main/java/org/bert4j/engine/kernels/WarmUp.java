package org.bert4j.engine.kernels;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the Java micro-kernel compiled by C2 before the engine needs it fast.
 *
 * <p>Vector API code only becomes SIMD instructions once C2 compiles it; until then every vector operation is an
 * object allocation, and the first forward pass of a fresh JVM would spend about two seconds in a handful of
 * GEMMs. So the first Java-kernel backend starts one short-lived daemon thread that multiplies small matrices
 * until a call runs at compiled speed (typically within a second, overlapping the model's loading), and the auto
 * backend sends its calls to OpenBLAS until then. This is per-JVM state by nature: the JIT's.
 */
final class WarmUp {
    private WarmUp() {}

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static volatile boolean done;

    /** Multiply-adds of one warm-up call: 24 × 256 × 256. */
    private static final int ROWS = 24;
    private static final int SIZE = 256;
    /** A compiled kernel does one call in ~0.1 ms; an interpreted one needs tens of milliseconds. */
    private static final long WARM_NANOS = 1_000_000;
    /** Give up (and call it warm) after this long: the JIT may be off, or the machine very busy. */
    private static final long GIVE_UP_NANOS = 20_000_000_000L;

    /** Starts the warm-up thread once per JVM; returns at once. */
    static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(WarmUp::run, "bert4j-kernel-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Whether the micro-kernel has reached compiled speed (or the warm-up gave up). */
    static boolean done() {
        return done;
    }

    private static void run() {
        try {
            float[] a = new float[ROWS * SIZE];
            float[] panels = new float[Panels.size(SIZE, SIZE)];
            float[] c = new float[ROWS * SIZE];
            long start = System.nanoTime();
            int fast = 0;
            while (fast < 3 && System.nanoTime() - start < GIVE_UP_NANOS) {
                long t = System.nanoTime();
                MicroKernel.gemm(a, 0, SIZE, 0, ROWS, panels, SIZE, SIZE, 0, Panels.count(SIZE), c, 0, SIZE,
                        null, null);
                fast = System.nanoTime() - t < WARM_NANOS ? fast + 1 : 0;
            }
        } finally {
            done = true;
        }
    }
}
