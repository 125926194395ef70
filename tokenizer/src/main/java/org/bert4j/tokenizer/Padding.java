package org.bert4j.tokenizer;

/** How encodings are lengthened with padding tokens (attention mask 0) so that a batch is rectangular. */
public enum Padding {
    /** No padding (the default). */
    NONE,
    /** Pad every encoding of a batch to the longest one (a single encoding is left as it is). */
    LONGEST,
    /** Pad every encoding to {@link EncodeOptions#maxLength()}. */
    MAX_LENGTH
}
