package org.bert4j.engine.kernels;

/**
 * Whether the element-wise kernels and attention should still run their plain scalar loops ({@link ScalarKernels}).
 *
 * <p>A fresh JVM interprets Vector API code until C2 compiles it, and interpreted it is slower than a scalar loop
 * by two orders of magnitude: every vector operation allocates an object and goes through a generic fallback.
 * One short text through MiniLM spent ~0.6 s of its first forward pass in GELU, LayerNorm and attention that way
 * (GELU alone: 292 ms on its first call, 12–32 ms on each of the next five), against ~2 ms on scalar loops,
 * which the interpreter and C1 run well. So the kernels start scalar, and switch to their vector code once
 * {@link WarmUp} has compiled it on its own thread. The warm-up starts here, after the first few forwards (one
 * short MiniLM text counts ~250 K elements), not during the first one, which it would slow down; the auto GEMM
 * also waits for it before it uses the Java kernel.
 *
 * <p>The two paths compute the same formulas in the same order up to float rounding (the tests bound the
 * difference), so a model's first outputs in a process may differ from later ones in the last bits, as they
 * may anyway when the auto GEMM moves small products to the Java kernel.
 */
final class ColdStart {
    private ColdStart() {}

    /** Elements the scalar paths process before they start the warm-up: a few forwards of short texts. */
    static final long WARM_UP_AFTER = 1 << 20;

    /** Elements processed on the scalar paths so far; updated without synchronisation, an estimate suffices. */
    private static long scalarElements;

    /** True while the vector kernels are not compiled yet: the caller then runs its scalar loop over n elements. */
    static boolean scalar(long n) {
        if (WarmUp.done()) {
            return false;
        }
        long total = scalarElements += n;
        if (total > WARM_UP_AFTER) {
            WarmUp.start();
        }
        return true;
    }
}
