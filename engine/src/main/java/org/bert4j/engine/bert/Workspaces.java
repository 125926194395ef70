package org.bert4j.engine.bert;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle {@link Workspace}s of one model, kept between forwards. A forward over 32 × 128 tokens of MiniLM needs about
 * 55 MB of activation buffers: allocating them every time costs the JVM a pass to zero them and the collector
 * frequent cycles (large arrays are "humongous" objects to G1), work that competes with the forward for the same
 * two cores. Reusing them costs nothing but the memory of a few idle workspaces, which is bounded here.
 */
public final class Workspaces {

    /** Workspaces larger than this are not kept: a one-off giant batch should not pin its memory. */
    private static final long KEEP_AT_MOST_BYTES = 256L << 20;

    private final int hidden;
    private final int intermediate;
    private final int maxIdle;
    private final ConcurrentLinkedQueue<Workspace> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    /** Keeps up to {@code maxIdle} idle workspaces (one per thread that calls forward at the same time is enough). */
    public Workspaces(int hidden, int intermediate, int maxIdle) {
        this.hidden = hidden;
        this.intermediate = intermediate;
        this.maxIdle = maxIdle;
    }

    /** A workspace for {@code tokens} tokens, owned by the caller until {@link #release}. */
    public Workspace acquire(int tokens) {
        Workspace ws = idle.poll();
        if (ws != null) {
            idleCount.decrementAndGet();
            if (ws.capacity() < tokens) {
                ws = null;   // too small for this batch: let it go, the new one replaces it
            }
        }
        if (ws == null) {
            ws = new Workspace(tokens, hidden, intermediate);
        } else {
            ws.begin(tokens);
        }
        return ws;
    }

    /** Returns a workspace once its forward is over (its residual stream now belongs to the output). */
    public void release(Workspace ws) {
        ws.end();
        if (ws.reusableBytes() > KEEP_AT_MOST_BYTES) {
            return;
        }
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.offer(ws);
        } else {
            idleCount.decrementAndGet();
        }
    }
}
