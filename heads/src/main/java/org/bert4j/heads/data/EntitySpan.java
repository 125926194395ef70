package org.bert4j.heads.data;

/** A labelled entity as a character range {@code [start, end)} of a text (UTF-16 indices, like String.substring). */
public record EntitySpan(int start, int end, String label) {
    public EntitySpan {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ") for " + label);
        }
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("an entity span needs a label");
        }
    }

    /** Whether the two spans share at least one character. */
    public boolean overlaps(EntitySpan other) {
        return start < other.end && other.start < end;
    }
}
