package org.bert4j.heads.data;

/**
 * An annotation that could not become a span of its row's text, reported instead of silently dropped:
 * the 1-based line of the row in its file, the annotation, and why.
 */
public record AlignmentIssue(int line, Annotation annotation, String reason) {
    @Override
    public String toString() {
        return "line " + line + ": (" + annotation.text() + ", " + annotation.label() + ") " + reason;
    }
}
