package org.bert4j.heads;

/**
 * One text as the heads see its tokenisation: token ids (special tokens included), each token's character range
 * in the text and its word index (-1 for special tokens). Made by a {@link Backbone} from the tokenizer's encoding.
 */
public record Tokens(String text, int[] ids, int[] offsetStarts, int[] offsetEnds, int[] wordIds) {
    public Tokens {
        int n = ids.length;
        if (n == 0) {
            throw new IllegalArgumentException("a text must have at least one token");
        }
        if (offsetStarts.length != n || offsetEnds.length != n || wordIds.length != n) {
            throw new IllegalArgumentException("ids, offsets and word ids must have one entry per token");
        }
    }

    /** The number of tokens. */
    public int length() {
        return ids.length;
    }
}
