package org.bert4j.bench.model;

import org.bert4j.engine.TokenBatch;

import java.util.SplittableRandom;

/** The batch shapes the whole-model benchmarks measure, as token id batches of exact sizes. */
public final class Shapes {

    private Shapes() {
    }

    static final int CLS = 101;
    static final int SEP = 102;

    /** Parses "32x128" into {batch, tokens}. */
    public static int[] parse(String shape) {
        String[] parts = shape.split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape \"" + shape + "\": expected <batch>x<tokens>");
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    /**
     * {@code batch} sequences of exactly {@code tokens} ids: [CLS], word-piece ids drawn from the vocabulary, [SEP].
     * Which ids does not change the cost; their count does.
     */
    public static int[][] fixed(int batch, int tokens, int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] ids = new int[batch][tokens];
        for (int[] seq : ids) {
            for (int t = 0; t < tokens; t++) {
                seq[t] = random.nextInt(1000, vocab);
            }
            seq[0] = CLS;
            seq[tokens - 1] = SEP;
        }
        return ids;
    }

    public static TokenBatch batch(int[][] ids) {
        return TokenBatch.of(ids, null);
    }
}
