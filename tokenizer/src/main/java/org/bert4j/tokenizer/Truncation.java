package org.bert4j.tokenizer;

/** How an encoding longer than {@link EncodeOptions#maxLength()} is cut (Hugging Face's truncation strategies). */
public enum Truncation {
    /** Remove tokens from the end of the longer sequence of a pair first, until both fit (the default). */
    LONGEST_FIRST,
    /** Remove tokens from the end of the first sequence only; an error if that cannot make it fit. */
    ONLY_FIRST,
    /** Remove tokens from the end of the second sequence only; an error if that cannot make it fit. */
    ONLY_SECOND,
    /** Never truncate. */
    NONE
}
