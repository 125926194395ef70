package org.bert4j.heads.data;

import java.util.List;

/**
 * Which columns (CSV) or fields (JSONL) make an example: the text fields, joined with one space as the seed's
 * {@code included_columns} are; the class-label field (null: none); the entity-annotation field (null: none).
 */
public record FieldMapping(List<String> textFields, String labelField, String annotationsField) {
    public FieldMapping {
        if (textFields == null || textFields.isEmpty()) {
            throw new IllegalArgumentException("at least one text field is needed");
        }
        textFields = List.copyOf(textFields);
    }

    /** The seed notebook's choice: headline + short_description, label {@code category}, {@code annotations}. */
    public static FieldMapping seed() {
        return new FieldMapping(List.of("headline", "short_description"), "category", "annotations");
    }

    /** The same texts and labels without entity annotations (the news JSONL has none). */
    public FieldMapping withoutAnnotations() {
        return new FieldMapping(textFields, labelField, null);
    }
}
