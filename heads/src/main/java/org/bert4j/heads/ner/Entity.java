package org.bert4j.heads.ner;

/**
 * A predicted entity: its type, its character range {@code [start, end)} in the original text, the text it
 * covers, and a score in [0, 1] (the mean probability of its tokens' or words' tags, as Hugging Face reports).
 */
public record Entity(String label, int start, int end, String text, double score) {
}
