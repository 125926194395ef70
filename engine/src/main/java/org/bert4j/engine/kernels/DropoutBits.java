package org.bert4j.engine.kernels;

/**
 * Which values a dropout zeroes: value i of a tensor is dropped when a hash of (key, i) falls below the threshold
 * for p. A counter-based generator (as Philox is for PyTorch's GPU dropout, Salmon et al. 2011): any value's fate is
 * computed on its own, so threads and vector lanes draw the mask in any order, and the forward and backward passes
 * draw the same mask again instead of keeping it. The hash is two rounds of a 32-bit integer mixer (C. Wellons's
 * "lowbias32"), one per half of the 64-bit key; the scalar and vector kernels compute it with the same integer
 * operations, so their masks are equal bit for bit.
 */
public final class DropoutBits {
    private DropoutBits() {}

    public static final int GOLDEN = 0x9E3779B9;
    public static final int M1 = 0x7feb352d;
    public static final int M2 = 0x846ca68b;

    /** The 31 random bits of value i under {@code key}. */
    public static int bits(long key, int i) {
        int x = mix(i * GOLDEN + (int) key);
        return mix(x ^ (int) (key >>> 32)) >>> 1;
    }

    /** x[i] *= 0 or keep over [from, to) as {@link #bits} says: the scalar kernel, and the vector one's tail. */
    public static void apply(long key, int threshold, float keep, float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] *= bits(key, i) < threshold ? 0f : keep;
        }
    }

    /** One round of the mixer. */
    static int mix(int x) {
        x ^= x >>> 16;
        x *= M1;
        x ^= x >>> 15;
        x *= M2;
        x ^= x >>> 16;
        return x;
    }

    /** Values whose {@link #bits} are below this are dropped: a probability within 2⁻³¹ of p, for 0 ≤ p < 1. */
    public static int threshold(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        return (int) Math.ceil(p * 0x1p31);
    }
}
