package org.bert4j.engine;

import org.bert4j.tokenizer.Encoding;

import java.util.Arrays;
import java.util.List;

/**
 * A batch of token sequences packed end to end without padding: the model computes only on real tokens, and
 * every sequence attends only to itself.
 *
 * <p>{@code ids} and {@code typeIds} hold every sequence's tokens one after the other; sequence {@code s} occupies
 * {@code [sequenceStarts[s], sequenceStarts[s] + sequenceLengths[s])}. Build one with {@link #of(int[][], int[][])}
 * or, from tokenizer output, with {@code of(List<Encoding>)}.
 *
 * @param ids             the token ids of every sequence, concatenated
 * @param typeIds         the token type (segment) ids, aligned with {@code ids}
 * @param sequenceStarts  where each sequence starts in {@code ids}
 * @param sequenceLengths how many tokens each sequence has (at least one)
 */
public record TokenBatch(int[] ids, int[] typeIds, int[] sequenceStarts, int[] sequenceLengths) {

    /** Checks that the arrays describe consecutive, non-empty sequences covering {@code ids} exactly. */
    public TokenBatch {
        if (ids == null || typeIds == null || sequenceStarts == null || sequenceLengths == null) {
            throw new IllegalArgumentException("TokenBatch: null array");
        }
        if (ids.length != typeIds.length) {
            throw new IllegalArgumentException("TokenBatch: " + ids.length + " ids but " + typeIds.length + " type ids");
        }
        if (sequenceStarts.length != sequenceLengths.length) {
            throw new IllegalArgumentException("TokenBatch: sequenceStarts and sequenceLengths differ in length");
        }
        if (sequenceStarts.length == 0) {
            throw new IllegalArgumentException("TokenBatch: a batch needs at least one sequence");
        }
        int next = 0;
        for (int s = 0; s < sequenceStarts.length; s++) {
            if (sequenceLengths[s] <= 0) {
                throw new IllegalArgumentException("TokenBatch: sequence " + s + " is empty");
            }
            if (sequenceStarts[s] != next) {
                throw new IllegalArgumentException("TokenBatch: sequence " + s + " starts at " + sequenceStarts[s]
                        + ", expected " + next + " (sequences are packed end to end)");
            }
            next += sequenceLengths[s];
        }
        if (next != ids.length) {
            throw new IllegalArgumentException("TokenBatch: sequences cover " + next + " tokens but there are " + ids.length);
        }
    }

    /** Packs sequences of token ids, with token type ids (null: all 0, a single-segment input). */
    public static TokenBatch of(int[][] ids, int[][] typeIds) {
        if (ids == null) {
            throw new IllegalArgumentException("ids must not be null");
        }
        if (typeIds != null && typeIds.length != ids.length) {
            throw new IllegalArgumentException(ids.length + " id sequences but " + typeIds.length + " type id sequences");
        }
        int total = 0;
        for (int s = 0; s < ids.length; s++) {
            if (ids[s] == null) {
                throw new IllegalArgumentException("sequence " + s + " is null");
            }
            if (typeIds != null && (typeIds[s] == null || typeIds[s].length != ids[s].length)) {
                throw new IllegalArgumentException("sequence " + s + ": type ids do not match the ids in length");
            }
            total += ids[s].length;
        }
        int[] packedIds = new int[total];
        int[] packedTypes = new int[total];
        int[] starts = new int[ids.length];
        int[] lengths = new int[ids.length];
        int at = 0;
        for (int s = 0; s < ids.length; s++) {
            starts[s] = at;
            lengths[s] = ids[s].length;
            System.arraycopy(ids[s], 0, packedIds, at, ids[s].length);
            if (typeIds != null) {
                System.arraycopy(typeIds[s], 0, packedTypes, at, ids[s].length);
            }
            at += ids[s].length;
        }
        return new TokenBatch(packedIds, packedTypes, starts, lengths);
    }

    /**
     * Packs tokenizer output, keeping only the real tokens (attention mask 1): a right-padded batch packs to the same
     * tokens, and each sequence's positions restart at 0 as in Hugging Face.
     */
    public static TokenBatch of(List<Encoding> encodings) {
        if (encodings == null) {
            throw new IllegalArgumentException("encodings must not be null");
        }
        int[][] ids = new int[encodings.size()][];
        int[][] types = new int[encodings.size()][];
        for (int s = 0; s < ids.length; s++) {
            Encoding e = encodings.get(s);
            if (e == null) {
                throw new IllegalArgumentException("encoding " + s + " is null");
            }
            int real = 0;
            for (int m : e.attentionMask()) {
                real += m;
            }
            ids[s] = new int[real];
            types[s] = new int[real];
            int at = 0;
            for (int t = 0; t < e.ids().length; t++) {
                if (e.attentionMask()[t] != 0) {
                    ids[s][at] = e.ids()[t];
                    types[s][at] = e.typeIds()[t];
                    at++;
                }
            }
        }
        return of(ids, types);
    }

    /** Packs sequences of token ids of a single segment (type ids all 0). */
    public static TokenBatch ofIds(List<int[]> ids) {
        return of(ids.toArray(int[][]::new), null);
    }

    /** The number of sequences. */
    public int size() {
        return sequenceStarts.length;
    }

    /** The number of real tokens over all sequences: the rows of every activation matrix. */
    public int totalTokens() {
        return ids.length;
    }

    /** The longest sequence's length. */
    public int maxLength() {
        return Arrays.stream(sequenceLengths).max().orElse(0);
    }

    /** The token ids of one sequence. */
    public int[] sequenceIds(int sequence) {
        return Arrays.copyOfRange(ids, sequenceStarts[sequence], sequenceStarts[sequence] + sequenceLengths[sequence]);
    }

    /** A batch of the sequences {@code [from, to)} of this one. */
    public TokenBatch slice(int from, int to) {
        int start = sequenceStarts[from];
        int end = sequenceStarts[to - 1] + sequenceLengths[to - 1];
        int[] starts = new int[to - from];
        for (int s = from; s < to; s++) {
            starts[s - from] = sequenceStarts[s] - start;
        }
        return new TokenBatch(Arrays.copyOfRange(ids, start, end), Arrays.copyOfRange(typeIds, start, end),
                starts, Arrays.copyOfRange(sequenceLengths, from, to));
    }
}
