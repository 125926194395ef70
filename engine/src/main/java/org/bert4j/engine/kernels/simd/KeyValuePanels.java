package org.bert4j.engine.kernels.simd;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention's right-hand operands, packed for the {@link MicroKernel}: a head's keys as Kᵀ panels (for Q·Kᵀ) and
 * its values as V panels (for P·V), read out of the fused [q | k | v] projection rows.
 *
 * <p>The keys and values of several heads of a sequence are packed together, in one pass over its tokens: a
 * token's row of the fused projection is 4.6 KB (MiniLM), and packing head by head read two 128-byte pieces of it
 * per head, one row per 4 KB page, a pattern the hardware prefetchers do not follow.
 */
final class KeyValuePanels {
    private KeyValuePanels() {}

    private static final VectorSpecies<Float> S = Width.SPECIES;

    /**
     * Tokens ahead of the one being packed whose key and value pieces are read early. The rows are 4.6 KB apart, one
     * 4 KB page each, so the prefetchers do not fetch them, and the transposing loop has too much work per row for
     * the core to run far enough ahead on its own: the packing waited on one row's cache misses at a time. A short
     * loop that loads one float per cache line of a later row puts those misses in flight early (Java has no
     * prefetch instruction). Packing at 512 tokens: ~55-70 -> ~44-49 us per head.
     */
    private static final int READ_AHEAD = 8;

    /**
     * Packs the keys of heads [h0, h0 + count) as Kᵀ panels (the right-hand operand of Q·Kᵀ) and their values as
     * V panels into the scratch's slots 0 … count − 1, reading each token's row once, front to back. Padding (key
     * columns past the last token, value columns past headDim) is zero.
     */
    static void pack(float[] qkv, int tokenOffset, int tokens, int h0, int count, int heads, int headDim,
                     Attention.Scratch scratch) {
        int nr = Panels.NR;
        int hidden = heads * headDim;
        int stride = 3 * hidden;
        int width = count * headDim;
        int touched = 0;
        for (int t = 0; t < tokens; t++) {
            int row = (tokenOffset + t) * stride;
            if (t + READ_AHEAD < tokens) {
                int keysAhead = row + READ_AHEAD * stride + hidden + h0 * headDim;
                touched ^= touch(qkv, keysAhead, width) ^ touch(qkv, keysAhead + hidden, width);
            }
            // Token t is column t % NR of key panel t / NR, its headDim values NR floats apart.
            int keyAt = (t / nr) * headDim * nr + t % nr;
            for (int g = 0; g < count; g++) {
                int head = (h0 + g) * headDim;
                transposeKey(qkv, row + hidden + head, headDim, scratch.keys[g], keyAt);
                copyValue(qkv, row + 2 * hidden + head, headDim, tokens, t, scratch.values[g]);
            }
        }
        scratch.touched = touched;
        // The last key panel's columns past the last token.
        int paddedTokens = Panels.count(tokens) * nr;
        for (int t = tokens; t < paddedTokens; t++) {
            int keyAt = (t / nr) * headDim * nr + t % nr;
            for (int g = 0; g < count; g++) {
                float[] keys = scratch.keys[g];
                for (int d = 0; d < headDim; d++) {
                    keys[keyAt + d * nr] = 0f;
                }
            }
        }
    }

    /** Loads one float of every cache line of x[from, from + width); returns their bits XORed so the loads stay. */
    private static int touch(float[] x, int from, int width) {
        int bits = 0;
        for (int i = 0; i < width; i += 16) {
            bits ^= Float.floatToRawIntBits(x[from + i]);
        }
        return bits ^ Float.floatToRawIntBits(x[from + width - 1]);
    }

    /** One token's key (headDim floats at {@code from}) into column {@code keyAt} of the Kᵀ panels. */
    private static void transposeKey(float[] qkv, int from, int headDim, float[] keys, int keyAt) {
        int nr = Panels.NR;
        for (int d = 0; d < headDim; d++) {
            keys[keyAt + d * nr] = qkv[from + d];
        }
    }

    /**
     * Token t's value (headDim floats at {@code from}) into row t of each V panel (panel p holds columns
     * [p·NR, p·NR + NR) of the head, one token per NR floats): whole panels as vector copies, a partial last one
     * zero-padded.
     */
    private static void copyValue(float[] qkv, int from, int headDim, int tokens, int t, float[] values) {
        int nr = Panels.NR;
        int l = S.length();
        int col = 0;
        for (; col + nr <= headDim; col += nr) {
            int at = ((col / nr) * tokens + t) * nr;
            FloatVector.fromArray(S, qkv, from + col).intoArray(values, at);
            FloatVector.fromArray(S, qkv, from + col + l).intoArray(values, at + l);
        }
        if (col < headDim) {
            int at = ((col / nr) * tokens + t) * nr;
            System.arraycopy(qkv, from + col, values, at, headDim - col);
            Arrays.fill(values, at + headDim - col, at + nr, 0f);
        }
    }
}
