package org.bert4j.engine.kernels;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a model spent on copies of its weights: the bytes it holds beyond the memory-mapped file (the Java kernel's
 * panels, the stacked Q/K/V projection, tensors converted from a narrower type) and the time it took to make them,
 * whether at load or later (the {@code auto} backend packs its panels on the first call that needs them).
 * Thread-safe: any forward may add to it.
 */
public final class Repacking {
    private final LongAdder bytes = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    /** Records one copy of {@code bytes} bytes that took {@code nanos} nanoseconds to make. */
    public void add(long bytes, long nanos) {
        this.bytes.add(bytes);
        this.nanos.add(nanos);
    }

    /**
     * Records a weight just prepared for its backend: the {@link PackedWeight#ownedBytes bytes} it holds, made since
     * {@code startNanos}, and from now on the panels it packs on first use.
     */
    public void track(PackedWeight weight, long bytes, long startNanos) {
        add(bytes, System.nanoTime() - startNanos);
        weight.reportPackingTo(this);
    }

    /** Bytes of weight copies held so far. */
    public long bytes() {
        return bytes.sum();
    }

    /** Time spent making them so far, in milliseconds. */
    public double millis() {
        return nanos.sum() / 1e6;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.1f MB in %.0f ms", bytes() / 1e6, millis());
    }
}
