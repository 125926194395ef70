package org.bert4j.heads.data;

import java.util.Objects;

/** One hand-written entity annotation: the entity's text as it (should) appear in the sentence, and its label. */
public record Annotation(String text, String label) {
    public Annotation {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
        // Blank text would match an empty span everywhere (and EntityLocator relies on there being a character).
        if (text.isBlank()) {
            throw new IllegalArgumentException("blank entity text for label '" + label + "'");
        }
        if (label.isBlank()) {
            throw new IllegalArgumentException("blank label for entity '" + text + "'");
        }
    }
}
