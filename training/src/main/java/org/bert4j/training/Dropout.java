package org.bert4j.training;

import org.bert4j.engine.kernels.DropoutBits;
import org.bert4j.engine.kernels.Kernels;

/**
 * Dropout (Srivastava et al. 2014) as PyTorch's {@code nn.Dropout} in training mode: each value is zeroed with
 * probability p and the others scaled by 1/(1 − p), so the expected output is the input. Which values drop comes
 * from a seed and each value's index ({@link DropoutBits}), so a training run is reproducible bit for bit, on any
 * number of threads and at any vector width, and the backward pass draws the forward's mask again instead of
 * keeping it.
 */
public final class Dropout {
    private Dropout() {}

    /** Elements per piece when a dropout is spread over threads. */
    static final int BLOCK = 1 << 14;

    /**
     * The multipliers of one dropout, n of them (0 or 1/(1 − p)), drawn from {@code seed}; null when p is 0 (or the
     * model is not training), which every caller reads as "all ones".
     */
    public static float[] mask(Kernels kernels, long seed, int n, double p) {
        if (p <= 0) {
            return null;
        }
        float[] mask = new float[n];
        java.util.Arrays.fill(mask, 1f);
        apply(kernels, seed, p, mask, n);
        return mask;
    }

    /** x[i] *= {@link #mask mask(seed, n, p)}[i] over [0, n), in place, on this thread. Nothing when p is 0. */
    public static void apply(Kernels kernels, long seed, double p, float[] x, int n) {
        if (p > 0) {
            kernels.dropout(seed, DropoutBits.threshold(p), keep(p), x, 0, n);
        }
    }

    /** The same over the compute's threads, each taking whole blocks of {@link #BLOCK} values. */
    public static void apply(Compute compute, long seed, double p, float[] x, int n) {
        if (p > 0) {
            int threshold = DropoutBits.threshold(p);
            float keep = keep(p);
            int blocks = (int) ((n + (long) BLOCK - 1) / BLOCK);
            compute.forRanges(blocks, BLOCK, (from, to) -> compute.kernels().dropout(seed, threshold, keep, x,
                    from * BLOCK, (int) Math.min(n, (long) to * BLOCK)));
        }
    }

    private static float keep(double p) {
        return (float) (1 / (1 - p));
    }

    /**
     * A seed for one dropout site of one step: the step's seed mixed with the site (layer and place in it) and a
     * sub-index (an attention head), so every site draws its own mask, whichever thread computes it.
     */
    public static long seed(long stepSeed, int site, int index) {
        long z = stepSeed + 0x9E3779B97F4A7C15L * (site * 1_000_003L + index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
