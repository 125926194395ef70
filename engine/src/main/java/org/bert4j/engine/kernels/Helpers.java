package org.bert4j.engine.kernels;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The helper threads of a {@link ComputePool}: they take parallel loops from a queue and work on them, spin for a
 * moment when the queue is empty (the next loop of a forward pass usually follows within microseconds), then park
 * until a loop is submitted.
 */
final class Helpers {

    /**
     * How long an idle thread spins before it parks: longer than the gap between two loops of a forward pass
     * (a LayerNorm, a residual add), much shorter than the gap between two requests, so an idle pool costs no CPU.
     */
    static final long SPIN_NANOS = 50_000;

    /**
     * Spins until the condition holds or {@link #SPIN_NANOS} have passed; returns whether it holds. The spin yields
     * now and then, so on a machine busier than its cores a spinning thread does not hold a core that the thread
     * it waits for (or another process) needs.
     */
    static boolean spin(BooleanSupplier condition) {
        long until = System.nanoTime() + SPIN_NANOS;
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

    private final ConcurrentLinkedQueue<Loop> queue = new ConcurrentLinkedQueue<>();
    private final Worker[] workers;
    private volatile boolean closed;

    Helpers(int count) {
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
    }

    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                Loop loop = queue.poll();
                if (loop != null) {
                    loop.work();
                    continue;
                }
                if (closed) {
                    return;
                }
                spin(() -> !queue.isEmpty() || closed);
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
