package org.bert4j.engine.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order, whatever compiles the code.
 *
 * <p>{@code reduceLanes(ADD)} leaves the order of the additions to the implementation, and it does change: the
 * JDK's fallback code (what the interpreter and C1 run) adds the lanes front to back, while C2's instruction
 * sequence pairs them differently, so the same row's LayerNorm mean came out one ulp apart in 37 of 64 rows
 * before and after the JIT compiled it. A model's output then moved in its last bits from one forward to the next
 * while its kernels were being compiled, and differed between processes. Here the lanes are folded in halves —
 * lane i plus lane i + n/2, then again — with shuffles and lane-wise additions, which every tier computes alike.
 */
final class Lanes {
    private Lanes() {}

    private static final VectorSpecies<Float> S = Width.SPECIES;
    /** FOLD[k] moves lane i + 2^k to lane i (the lanes past the end wrap around and are never read). */
    private static final VectorShuffle<Float>[] FOLD = folds();

    /** Σ v's lanes: ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7)) for 8 lanes, likewise for any power of two. */
    static float sum(FloatVector v) {
        for (int k = FOLD.length - 1; k >= 0; k--) {
            v = v.add(v.rearrange(FOLD[k]));
        }
        return v.lane(0);
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int n = S.length();
        if (Integer.bitCount(n) != 1) {
            throw new IllegalStateException("a vector of " + n + " lanes: expected a power of two");
        }
        int levels = Integer.numberOfTrailingZeros(n);
        VectorShuffle<Float>[] folds = new VectorShuffle[levels];
        for (int k = 0; k < levels; k++) {
            int distance = 1 << k;
            folds[k] = VectorShuffle.fromOp(S, i -> (i + distance) % n);
        }
        return folds;
    }
}
