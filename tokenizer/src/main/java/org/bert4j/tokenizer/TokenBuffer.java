package org.bert4j.tokenizer;

import java.util.Arrays;

/**
 * The tokens of one sequence as it is being tokenized: ids, UTF-16 offsets and word indices in parallel
 * int arrays that grow as needed, so the hot path allocates nothing per token.
 */
final class TokenBuffer {
    int[] ids;
    int[] starts;
    int[] ends;
    int[] words;
    int size;

    TokenBuffer(int capacity) {
        int c = Math.max(capacity, 8);
        ids = new int[c];
        starts = new int[c];
        ends = new int[c];
        words = new int[c];
    }

    void add(int id, int start, int end, int word) {
        if (size == ids.length) {
            grow();
        }
        ids[size] = id;
        starts[size] = start;
        ends[size] = end;
        words[size] = word;
        size++;
    }

    private void grow() {
        int c = ids.length * 2;
        ids = Arrays.copyOf(ids, c);
        starts = Arrays.copyOf(starts, c);
        ends = Arrays.copyOf(ends, c);
        words = Arrays.copyOf(words, c);
    }

    int size() {
        return size;
    }

    /** Forgets every token from {@code newSize} on. */
    void truncate(int newSize) {
        size = Math.min(size, newSize);
    }

    void clear() {
        size = 0;
    }
}
