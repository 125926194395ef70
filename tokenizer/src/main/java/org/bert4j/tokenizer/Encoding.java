package org.bert4j.tokenizer;

import java.util.Arrays;

/**
 * The result of tokenizing one text (or pair of texts): what a BERT model takes as input, plus what is
 * needed to map tokens back to the text.
 *
 * <p>All arrays have {@link #length()} elements, one per token, padding included.
 *
 * @param ids               token ids (the model's {@code input_ids})
 * @param typeIds           segment ids: 0 for the first text and its special tokens, 1 for the second
 *                          (the model's {@code token_type_ids})
 * @param attentionMask     1 for real tokens, 0 for padding
 * @param specialTokensMask 1 for tokens the template added ([CLS], [SEP]) and padding, 0 for text tokens
 * @param offsetStarts      where each token starts in its original text, as a UTF-16 index (a Java
 *                          {@code char} index, usable with {@link String#substring}); 0 for special tokens
 *                          and padding
 * @param offsetEnds        where each token ends (exclusive), likewise; 0 for special tokens and padding
 * @param wordIds           which word (pre-token) of its text each token came from, counting from 0 in each
 *                          text; -1 for special tokens and padding. Use it to align word-level labels (NER)
 * @param sequenceIds       0 for tokens of the first text, 1 for the second, -1 for special tokens and padding
 * @param tokens            the token strings, e.g. "[CLS]", "token", "##izer"
 */
public record Encoding(int[] ids, int[] typeIds, int[] attentionMask, int[] specialTokensMask, int[] offsetStarts,
                       int[] offsetEnds, int[] wordIds, int[] sequenceIds, String[] tokens) {

    /** Checks that every array has the same length. */
    public Encoding {
        int n = ids.length;
        if (typeIds.length != n || attentionMask.length != n || specialTokensMask.length != n
                || offsetStarts.length != n || offsetEnds.length != n || wordIds.length != n
                || sequenceIds.length != n || tokens.length != n) {
            throw new IllegalArgumentException("Encoding arrays must all have " + n + " elements");
        }
    }

    /** The number of tokens, padding included. */
    public int length() {
        return ids.length;
    }

    /** The number of real (non-padding) tokens. */
    public int unpaddedLength() {
        int n = 0;
        for (int m : attentionMask) {
            n += m;
        }
        return n;
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(tokens);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(typeIds, e.typeIds)
                && Arrays.equals(attentionMask, e.attentionMask)
                && Arrays.equals(specialTokensMask, e.specialTokensMask)
                && Arrays.equals(offsetStarts, e.offsetStarts) && Arrays.equals(offsetEnds, e.offsetEnds)
                && Arrays.equals(wordIds, e.wordIds) && Arrays.equals(sequenceIds, e.sequenceIds)
                && Arrays.equals(tokens, e.tokens);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(offsetStarts);
    }
}
