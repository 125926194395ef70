package org.bert4j.engine.kernels;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the engine's Vector API code compiled by C2 before the engine relies on it.
 *
 * <p>Vector API code only becomes SIMD instructions once C2 compiles it; until then every vector operation is an
 * object allocation, and a fresh JVM's first forward passes would crawl through it. So one short-lived daemon
 * thread runs every vector kernel on small inputs — the GEMM micro-kernel, GELU and the other activations,
 * LayerNorm, attention — until a round of them runs at compiled speed (typically within a second or two), and
 * meanwhile the auto GEMM sends its calls to OpenBLAS and the other kernels run scalar loops
 * ({@link ColdStart}). It starts after the first few forwards rather than at load, so that a command that
 * embeds one text and exits does not share its two cores with it. This is per-JVM state by nature: the JIT's.
 */
public final class WarmUp {
    private WarmUp() {}

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static volatile boolean done;

    /** The warm-up's GEMM: 24 × 256 × 256 multiply-adds; the other kernels run on rows of the same sizes. */
    private static final int ROWS = 24;
    private static final int SIZE = 256;
    /** A compiled round takes ~0.2 ms; an interpreted one tens of milliseconds. */
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

    /**
     * Starts the warm-up now (if it has not started) and waits until the vector kernels are compiled, or the
     * timeout passes: for a server that wants its first requests at full speed, and for benchmarks of single
     * kernels. Returns whether the kernels are compiled (or the warm-up gave up, after 20 s).
     */
    public static boolean awaitCompiled(java.time.Duration timeout) throws InterruptedException {
        start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return done;
    }

    /** Whether the vector kernels have reached compiled speed (or the warm-up gave up). */
    static boolean done() {
        return done;
    }

    private static void run() {
        try {
            Round round = new Round();
            long start = System.nanoTime();
            int fast = 0;
            while (fast < 3 && System.nanoTime() - start < GIVE_UP_NANOS) {
                long t = System.nanoTime();
                round.run();
                fast = System.nanoTime() - t < WARM_NANOS ? fast + 1 : 0;
            }
        } finally {
            done = true;
        }
    }

    /** Small inputs for every vector kernel, and one call of each on them. */
    private static final class Round {
        private static final int HEADS = 2;
        private static final int HEAD_DIM = 32;

        final float[] a = new float[ROWS * SIZE];
        final float[] panels = new float[Panels.size(SIZE, SIZE)];
        final float[] c = new float[ROWS * SIZE];
        final float[] gamma = new float[SIZE];
        final float[] beta = new float[SIZE];
        /** One sequence of ROWS tokens: q | k | v rows of 3 · HEADS · HEAD_DIM. */
        final float[] qkv = new float[ROWS * 3 * HEADS * HEAD_DIM];
        final float[] context = new float[ROWS * HEADS * HEAD_DIM];
        final Attention.Scratch scratch = new Attention.Scratch(ROWS, HEAD_DIM);

        Round() {
            java.util.Arrays.fill(gamma, 1f);
            for (int i = 0; i < qkv.length; i++) {
                qkv[i] = (i % 7) * 0.1f;
            }
        }

        void run() {
            MicroKernel.gemm(a, 0, SIZE, 0, ROWS, panels, SIZE, SIZE, 0, Panels.count(SIZE), c, 0, SIZE, null, null);
            Activations.geluVector(c, 0, c.length);
            Activations.geluTanhVector(c, 0, c.length);
            Activations.reluVector(c, 0, c.length);
            for (int r = 0; r < ROWS; r++) {
                LayerNorm.addVector(a, c, c, r * SIZE, SIZE);
                LayerNorm.normalizeRowVector(c, c, r * SIZE, SIZE, gamma, beta, 1e-12f);
            }
            for (int h = 0; h < HEADS; h++) {
                Attention.headVector(qkv, 0, ROWS, h, HEADS, HEAD_DIM, context, scratch);
            }
        }
    }
}
