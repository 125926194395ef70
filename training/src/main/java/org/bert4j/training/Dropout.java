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
     * The multipliers of one dropout, n of them (0 or 1/(1 − p)), drawn from {@code seed}; null when p is 0 (or the
     * model is not training), which every caller reads as "all ones".
     */
    public static float[] mask(long seed, int n, double p) {
        if (p <= 0) {
            return null;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float keep = (float) (1 / (1 - p));
        // Two draws per random long: a value is dropped when its 32 bits fall below p·2³², a probability within
        // 2⁻³² of p. (A double per value made the masks an eighth of a training step.)
        long threshold = (long) Math.ceil(p * 0x1p32);
        float[] mask = new float[n];
        int i = 0;
        for (; i + 1 < n; i += 2) {
            long bits = random.nextLong();
            mask[i] = (bits & 0xFFFFFFFFL) < threshold ? 0f : keep;
            mask[i + 1] = (bits >>> 32) < threshold ? 0f : keep;
        }
        if (i < n) {
            mask[i] = (random.nextLong() & 0xFFFFFFFFL) < threshold ? 0f : keep;
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
