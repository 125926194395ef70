package org.bert4j.heads.data;

import java.util.List;

/**
 * One training or evaluation example: a text, its class label (null when the source has none), its entity
 * spans (null when the source carries no entity annotations, empty when it does and there are none), and
 * the 1-based line it came from (0 when made in code).
 */
public record Example(String text, String label, List<EntitySpan> entities, int line) {
    public Example {
        if (text == null) {
            throw new IllegalArgumentException("an example needs a text");
        }
        entities = entities == null ? null : List.copyOf(entities);
        if (entities != null) {
            for (EntitySpan span : entities) {
                if (span.end() > text.length()) {
                    throw new IllegalArgumentException("span " + span + " runs past the end of the text ("
                            + text.length() + " chars)" + (line > 0 ? " at line " + line : ""));
                }
            }
        }
    }

    /** A classification example made in code. */
    public static Example labelled(String text, String label) {
        return new Example(text, label, null, 0);
    }

    /** An NER example made in code. */
    public static Example withEntities(String text, List<EntitySpan> entities) {
        return new Example(text, null, entities, 0);
    }

    /** Whether this example can train a classification head. */
    public boolean hasLabel() {
        return label != null;
    }

    /** Whether this example can train a token-classification head. */
    public boolean hasEntities() {
        return entities != null;
    }
}
