package org.bert4j.engine.kernels;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The helper threads of a {@link ComputePool}: they take parallel loops from a queue and work on them, spin for a
 * moment when the queue is empty (the next loop of a forward pass usually follows within microseconds), then park
 * until a loop is submitted. A helper that wakes up on the CPU of the thread it is to help moves off it
 * ({@link CpuPlacement}).
 */
final class Helpers {

    /**
     * Spins until the condition holds or {@code nanos} have passed; returns whether it holds. The spin yields
     * now and then, so on a machine busier than its cores a spinning thread does not hold a core that the thread
     * it waits for (or another process) needs.
     */
    static boolean spin(BooleanSupplier condition, long nanos) {
        long until = System.nanoTime() + nanos;
        for (int i = 1; ; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > until) {
                return false;
            }
            if ((i & 31) == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** The CPU the calling thread runs on, or −1 while placement is off or not initialised yet. */
    int callerCpu() {
        return placementReady ? CpuPlacement.currentCpu() : -1;
    }

    private final ConcurrentLinkedQueue<Loop> queue = new ConcurrentLinkedQueue<>();
    private final Worker[] workers;
    private final long spinNanos;
    private final boolean placeHelpers;
    /**
     * Set once {@link CpuPlacement} is initialised: its native bindings take ~0.1 s to create in a fresh JVM, which
     * the first helper spends before it looks for work rather than a caller on its first parallel loop.
     */
    private volatile boolean placementReady;
    private volatile boolean closed;

    /**
     * {@code count} helper threads that spin {@code spinNanos} when out of work before they park, and move off the
     * CPU of the thread they help when {@code placeHelpers} ({@link CpuPlacement}).
     */
    Helpers(int count, long spinNanos, boolean placeHelpers) {
        this.spinNanos = spinNanos;
        this.placeHelpers = placeHelpers;
        workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker("bert4j-compute-" + (i + 1));
            workers[i].start();
        }
    }

    /** Queues {@code copies} helpers for the loop and wakes as many parked threads; nothing once closed. */
    void submit(Loop loop, int copies) {
        if (closed) {
            return;
        }
        for (int i = 0; i < copies; i++) {
            queue.offer(loop);
        }
        int woken = 0;
        for (Worker w : workers) {
            if (woken == copies) {
                break;
            }
            // The worker sets parked before it checks the queue one last time, and we offered before reading it:
            // either it sees our loop or we see it parked (both are volatile), so no loop is left unattended.
            if (w.parked) {
                LockSupport.unpark(w);
                woken++;
            }
        }
    }

    /** How long these threads, and a caller waiting for them, spin before parking. */
    long spinNanos() {
        return spinNanos;
    }

    boolean isClosed() {
        return closed;
    }

    /** Lets the threads finish what is queued, then end. */
    void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** Something a helper can work on: a parallel loop's share of iterations. */
    interface Loop {
        /** Claims and runs iterations until none are left. */
        void work();

        /** The CPU the thread that submitted the loop ran on then ({@link Helpers#callerCpu}). */
        int callerCpu();
    }

    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            CpuPlacement.Helper placement = null;
            if (placeHelpers && this == workers[0]) {
                CpuPlacement.currentCpu();
                placementReady = true;
            }
            while (true) {
                Loop loop = queue.poll();
                if (loop != null) {
                    if (placement == null && placementReady) {
                        // Read on the helper itself: the affinity it started with.
                        placement = new CpuPlacement.Helper();
                    }
                    if (placement != null) {
                        placement.avoid(loop.callerCpu());
                    }
                    loop.work();
                    continue;
                }
                if (closed) {
                    return;
                }
                spin(() -> !queue.isEmpty() || closed, spinNanos);
                if (!queue.isEmpty() || closed) {
                    continue;
                }
                parked = true;
                if (queue.isEmpty() && !closed) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }
    }
}
