package org.bert4j.engine.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The engine's compute threads: runs the iterations of a parallel loop on a fixed number of threads, the
 * caller being one of them.
 *
 * <p>Every kernel that runs in parallel (the Java GEMM, the OpenBLAS GEMM split by columns, attention over
 * sequences and heads) takes its threads from here and nowhere else: OpenBLAS itself is kept single-threaded,
 * so one caller computes on at most this pool's size of threads (itself and the helpers). Each further caller
 * that shares the pool brings its own thread: C concurrent callers compute on at most C + size − 1 threads,
 * with the helpers shared among them. (Two loaded models have two pools.)
 *
 * <p>Loops may nest and several threads may call {@link #parallelFor} at once: the caller always works through
 * the iterations itself, and helper threads that arrive after the work is gone simply return, so a busy pool
 * slows a loop down but never deadlocks it.
 *
 * <p>A forward pass is a chain of short parallel loops (a MiniLM layer over one short sentence has about seven,
 * each a fraction of a millisecond), and waking a parked thread costs tens of microseconds on a virtual machine.
 * So a helper that runs out of work spins for a moment ({@link Helpers#spin}) before it parks, and the
 * caller spins likewise while it waits for the last iterations: the next loop usually starts, and the last
 * iteration usually ends, within that moment. A pool left idle parks all its threads.
 */
public final class ComputePool implements AutoCloseable {

    /** How long idle threads spin before they park, unless told otherwise: see {@link #create(int, long, boolean)}. */
    public static final long DEFAULT_SPIN_NANOS = 5_000_000;

    private final int threads;
    private final Helpers helpers;

    private ComputePool(int threads, long spinNanos, boolean placeHelpers) {
        this.threads = threads;
        this.helpers = threads == 1 ? null : new Helpers(threads - 1, spinNanos, placeHelpers);
    }

    /** A pool of {@code threads} threads in all (the caller plus {@code threads - 1} helpers), with the defaults. */
    public static ComputePool create(int threads) {
        return create(threads, DEFAULT_SPIN_NANOS, true);
    }

    /**
     * A pool of {@code threads} threads in all, whose idle threads spin {@code spinNanos} before they park and whose
     * helpers move off the CPU of the thread they help when {@code placeHelpers} (Linux). Both defaults were chosen
     * by measurement on 2-core virtual machines (docs/performance.md): threads that park at once let the host give
     * their CPU away in the middle of a forward pass, and a woken helper often starts on its caller's CPU.
     */
    public static ComputePool create(int threads, long spinNanos, boolean placeHelpers) {
        Checks.positive(threads, "threads");
        if (spinNanos < 0 || spinNanos > 1_000_000_000L) {
            throw new IllegalArgumentException("spinNanos must be in [0, 1 s], got " + spinNanos);
        }
        return new ComputePool(threads, spinNanos, placeHelpers);
    }

    /** The number of threads that run a loop, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, n), spread over the pool's threads, and returns when all
     * are done. The first exception thrown by an iteration is rethrown here (later iterations are skipped).
     */
    public void parallelFor(int n, IntConsumer body) {
        Checks.nonNegative(n, "n");
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        if (helpers != null && helpers.isClosed()) {
            throw new IllegalStateException("this ComputePool is closed");
        }
        if (n == 0) {
            return;
        }
        if (n == 1 || helpers == null) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        Loop loop = new Loop(n, body, Thread.currentThread(), helpers.spinNanos(), helpers.callerCpu());
        // If the pool closes meanwhile, the caller finishes the loop alone.
        helpers.submit(loop, Math.min(threads - 1, n - 1));
        loop.work();
        loop.awaitDone();
        Throwable failure = loop.failure.get();
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("a parallel iteration failed", failure);
        }
    }

    /**
     * Splits [0, n) into at most {@code chunks} contiguous ranges of near-equal size and runs
     * {@code body.accept(from, to)} for each in parallel.
     */
    public void parallelForRanges(int n, int chunks, RangeBody body) {
        Checks.nonNegative(n, "n");
        Checks.positive(chunks, "chunks");
        int parts = Math.min(chunks, Math.max(1, n));
        parallelFor(parts, part -> body.accept((int) ((long) n * part / parts), (int) ((long) n * (part + 1) / parts)));
    }

    /** The body of a range-based parallel loop. */
    @FunctionalInterface
    public interface RangeBody {
        /** Processes the iterations [from, to). */
        void accept(int from, int to);
    }

    /** Stops the helper threads. */
    @Override
    public void close() {
        if (helpers != null) {
            helpers.close();
        }
    }

    @Override
    public String toString() {
        return "ComputePool[threads=" + threads + "]";
    }

    /** One parallel loop: iterations are claimed from a counter, completion is counted per iteration. */
    private static final class Loop implements Helpers.Loop {
        private final int n;
        private final IntConsumer body;
        private final Thread waiter;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final int callerCpu;
        private final long spinNanos;

        Loop(int n, IntConsumer body, Thread waiter, long spinNanos, int callerCpu) {
            this.n = n;
            this.body = body;
            this.waiter = waiter;
            this.spinNanos = spinNanos;
            this.callerCpu = callerCpu;
        }

        @Override
        public int callerCpu() {
            return callerCpu;
        }

        @Override
        public void work() {
            int i;
            while ((i = next.getAndIncrement()) < n) {
                if (failure.get() == null) {
                    try {
                        body.accept(i);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }
                if (done.incrementAndGet() == n) {
                    LockSupport.unpark(waiter);
                }
            }
        }

        void awaitDone() {
            // Counting finished iterations (not helpers) means a helper that never started is never waited for.
            Helpers.spin(() -> done.get() >= n, spinNanos);
            while (done.get() < n) {
                LockSupport.park(this);
            }
        }
    }
}
