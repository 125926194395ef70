package org.bert4j.heads.crossencoder;

/**
 * Two texts a cross-encoder reads together, as {@code [CLS] first [SEP] second [SEP]} with token types 0 and 1: a
 * query and a document, or two sentences to compare.
 */
public record TextPair(String first, String second) {

    /** Both texts are required (an empty text is allowed). */
    public TextPair {
        if (first == null || second == null) {
            throw new IllegalArgumentException("a text pair needs two texts, got (" + first + ", " + second + ")");
        }
    }
}
