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
    private static final int N = S.length();
    // Fold k moves lane i + k to lane i (the lanes past the end wrap around and are never read). One constant per
    // fold, each used in straight-line code: C2 compiles a shuffle it can see to one permute, where a shuffle loaded
    // from an array in a loop left the sum in the Vector API's Java fallback, allocating on every call.
    private static final VectorShuffle<Float> FOLD_1 = fold(1);
    private static final VectorShuffle<Float> FOLD_2 = fold(2);
    private static final VectorShuffle<Float> FOLD_4 = fold(4);
    private static final VectorShuffle<Float> FOLD_8 = fold(8);
    private static final VectorShuffle<Float> FOLD_16 = fold(16);

    /** Σ v's lanes: ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7)) for 8 lanes, likewise for any power of two. */
    static float sum(FloatVector v) {
        if (N > 16) {
            v = v.add(v.rearrange(FOLD_16));
        }
        if (N > 8) {
            v = v.add(v.rearrange(FOLD_8));
        }
        if (N > 4) {
            v = v.add(v.rearrange(FOLD_4));
        }
        if (N > 2) {
            v = v.add(v.rearrange(FOLD_2));
        }
        if (N > 1) {
            v = v.add(v.rearrange(FOLD_1));
        }
        return v.lane(0);
    }

    /** {@link #sum(FloatVector)} of a vector stored in {@code lanes}, in the same order (lanes is overwritten). */
    static float sum(float[] lanes) {
        for (int distance = N / 2; distance >= 1; distance /= 2) {
            for (int i = 0; i < distance; i++) {
                lanes[i] += lanes[i + distance];
            }
        }
        return lanes[0];
    }

    private static VectorShuffle<Float> fold(int distance) {
        if (Integer.bitCount(N) != 1 || N > 32) {
            throw new IllegalStateException("a vector of " + N + " lanes: expected a power of two up to 32");
        }
        return VectorShuffle.fromOp(S, i -> (i + distance) % N);
    }
}
