package org.bert4j.tokenizer;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Normalization and pre-tokenization of each character, computed once: the tables that let {@link
 * FusedEncoder} do BertNormalizer's and BertPreTokenizer's work with one array lookup per character.
 *
 * <p>An entry says what a code point becomes: nothing (a control, or an accent under strip_accents), a
 * word boundary (whitespace), a one-character word (punctuation, or a CJK ideograph), a character of the
 * current word (most characters; e.g. 'É' becomes 'e'), or several of these ('İ' lowercases to "i̇").
 * Normalizing character by character gives Hugging Face's result except where canonical ordering would
 * move a kept combining mark past its neighbours; such characters are {@link #COMPLEX}, and a text holding
 * one goes to the step-by-step {@link PipelineEncoder} instead.
 *
 * <p>Entries are computed lazily, 256 code points at a time, on first use: loading a tokenizer costs
 * nothing here, and English text only ever computes a block or two. Blocks are immutable once published,
 * so sharing the table between threads is safe (two threads may compute the same block; either copy wins).
 */
final class CharTable {
    /** Kinds, in the low 3 bits of an entry; the payload (a code point, or a MULTI index) is above them. */
    static final int WORD = 0;
    static final int REMOVED = 1;
    static final int SPACE = 2;
    static final int PUNCT = 3;
    static final int MULTI = 4;
    static final int COMPLEX = 5;
    /** A word of its own, between boundaries: what handle_chinese_chars makes of a CJK ideograph. */
    static final int ISOLATED = 6;
    static final int KIND_BITS = 3;
    static final int KIND_MASK = 7;

    /** Code points below this (the BMP and the SMP, where emoji and math letters live) are tabulated. */
    static final int TABULATED = 0x20000;
    private static final int BLOCK_BITS = 8;

    /**
     * The entries of 256 consecutive code points.
     *
     * @param entries one entry per code point
     * @param multi   MULTI payloads: at index k, a count n, then n entries (code point << 3 | kind)
     */
    record Block(int[] entries, int[] multi) {}

    private final BertNormalizer normalizer;
    private final AtomicReferenceArray<Block> blocks = new AtomicReferenceArray<>(TABULATED >>> BLOCK_BITS);

    CharTable(BertNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    /** The block holding code point {@code c} (which must be below {@link #TABULATED}). */
    Block block(int c) {
        int index = c >>> BLOCK_BITS;
        Block b = blocks.get(index);
        if (b == null) {
            b = computeBlock(index << BLOCK_BITS);
            blocks.compareAndSet(index, null, b);
        }
        return b;
    }

    /** The entry of a code point beyond the table: never MULTI (that is reported as COMPLEX). */
    int entryBeyondTable(int c) {
        int e = compute(c, null);
        return (e & KIND_MASK) == MULTI ? COMPLEX : e;
    }

    private Block computeBlock(int first) {
        int[] entries = new int[1 << BLOCK_BITS];
        MultiList multi = new MultiList();
        for (int k = 0; k < entries.length; k++) {
            int c = first + k;
            // A lone surrogate reads as U+FFFD, as in NormalizedText.
            entries[k] = compute(c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE ? 0xFFFD : c, multi);
        }
        return new Block(entries, multi.toArray());
    }

    private int compute(int c, MultiList multi) {
        int[] out = normalizer.normalizeOne(c);
        if (out.length == 0) {
            return REMOVED;
        }
        if (normalizer.stripAccents()) {
            for (int o : out) {
                if (BertCharacters.isNonStarter(o)) {
                    return COMPLEX; // canonical ordering could move it: only the full pipeline is exact
                }
            }
        }
        if (out.length == 1) {
            return out[0] << KIND_BITS | kindOf(out[0]);
        }
        if (out.length == 3 && out[0] == ' ' && out[2] == ' ' && kindOf(out[1]) == WORD) {
            return out[1] << KIND_BITS | ISOLATED;
        }
        if (multi == null) {
            return MULTI;
        }
        return multi.add(out) << KIND_BITS | MULTI;
    }

    private static int kindOf(int c) {
        if (BertCharacters.isWhitespace(c)) {
            return SPACE;
        }
        return BertCharacters.isPunctuation(c) ? PUNCT : WORD;
    }

    /** The MULTI payloads of one block as they are built. */
    private static final class MultiList {
        private int[] a = new int[0];
        private int size;

        int add(int[] out) {
            int index = size;
            if (size + out.length + 1 > a.length) {
                a = Arrays.copyOf(a, Math.max(16, 2 * (size + out.length + 1)));
            }
            a[size++] = out.length;
            for (int o : out) {
                a[size++] = o << KIND_BITS | kindOf(o);
            }
            return index;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
