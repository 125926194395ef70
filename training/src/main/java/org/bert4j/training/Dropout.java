package org.bert4j.training;

import java.util.SplittableRandom;

/**
 * Dropout (Srivastava et al. 2014) as PyTorch's {@code nn.Dropout} in training mode: each value is zeroed with
 * probability p and the others scaled by 1/(1 − p), so the expected output is the input. The mask comes from a seed,
 * so a training run is reproducible bit for bit; the same mask scales the gradient on the way back.
 */
public final class Dropout {
    private Dropout() {}

    /**
     * Elements per independently seeded block of a mask: each block draws from its own stream, so threads can draw
     * blocks in any order and the mask depends on the seed alone.
     */
    static final int BLOCK = 1 << 14;

    /**
     * The multipliers of one dropout, n of them (0 or 1/(1 − p)), drawn from {@code seed}; null when p is 0 (or the
     * model is not training), which every caller reads as "all ones".
     */
    public static float[] mask(long seed, int n, double p) {
        if (p <= 0) {
            return null;
        }
        float[] mask = new float[n];
        for (int block = 0; block * (long) BLOCK < n; block++) {
            draw(seed, block, p, mask, n, false);
        }
        return mask;
    }

    /** x[i] *= mask[i] over [0, n), in place; nothing when the mask is null. */
    public static void apply(float[] mask, float[] x, int n) {
        if (mask != null) {
            for (int i = 0; i < n; i++) {
                x[i] *= mask[i];
            }
        }
    }

    /**
     * x[i] *= {@link #mask(long, int, double) mask(seed, n, p)}[i] over [0, n), in place, without building the mask:
     * its blocks are drawn and applied over the compute's threads. Nothing when p is 0.
     */
    public static void apply(Compute compute, long seed, double p, float[] x, int n) {
        if (p > 0) {
            int blocks = (int) ((n + (long) BLOCK - 1) / BLOCK);
            compute.forRanges(blocks, BLOCK, (from, to) -> {
                for (int block = from; block < to; block++) {
                    draw(seed, block, p, x, n, true);
                }
            });
        }
    }

    /**
     * Block {@code block} of the mask: written into x, or multiplied into it. Two draws per random long: a value is
     * dropped when its 32 bits fall below p·2³², a probability within 2⁻³² of p. (A double per value made the masks
     * an eighth of a training step.)
     */
    private static void draw(long seed, int block, double p, float[] x, int n, boolean multiply) {
        SplittableRandom random = new SplittableRandom(seed(seed, -1, block));
        float keep = (float) (1 / (1 - p));
        long threshold = (long) Math.ceil(p * 0x1p32);
        int from = block * BLOCK;
        int to = (int) Math.min(n, from + (long) BLOCK);
        for (int i = from; i < to; i += 2) {
            long bits = random.nextLong();
            float first = (bits & 0xFFFFFFFFL) < threshold ? 0f : keep;
            x[i] = multiply ? x[i] * first : first;
            if (i + 1 < to) {
                float second = (bits >>> 32) < threshold ? 0f : keep;
                x[i + 1] = multiply ? x[i + 1] * second : second;
            }
        }
    }

    /**
     * A seed for one dropout site of one step: the step's seed mixed with the site (layer and place in it) and a
     * sub-index (an attention head), so every site draws its own stream, whichever thread computes it.
     */
    public static long seed(long stepSeed, int site, int index) {
        long z = stepSeed + 0x9E3779B97F4A7C15L * (site * 1_000_003L + index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
