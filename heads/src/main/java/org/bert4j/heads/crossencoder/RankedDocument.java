package org.bert4j.heads.crossencoder;

/**
 * One document of {@link CrossEncoder#rank}, as sentence-transformers' {@code rank} returns it: its index in the
 * list given ({@code corpus_id}), its score against the query, and its text.
 */
public record RankedDocument(int corpusId, double score, String text) {
}
