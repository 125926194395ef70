package org.bert4j.tokenizer;

/** Tokenizes one text into ids, offsets and word indices (before special tokens, truncation and padding). */
interface SequenceEncoder {

    /**
     * Appends the tokens of {@code text} to {@code out}. May stop early, at a word boundary, once
     * {@code out} holds at least {@code limit} tokens (the rest would be truncated anyway).
     */
    void encode(String text, TokenBuffer out, int limit);
}
