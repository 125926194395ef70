package org.bert4j.heads.data;

import java.util.ArrayList;
import java.util.List;

/** Builds examples from one row's chosen fields, shared by the CSV and JSONL readers; collects alignment issues. */
final class ExampleBuilder {

    private final String source;
    private final FieldMapping fields;
    private final List<Example> examples = new ArrayList<>();
    private final List<AlignmentIssue> issues = new ArrayList<>();

    ExampleBuilder(String source, FieldMapping fields) {
        this.source = source;
        this.fields = fields;
    }

    /** Adds one row: its text values (null = field absent), its label and its parsed annotations (or null). */
    void add(int line, List<String> textValues, String label, List<Annotation> annotations)
            throws DataFormatException {
        List<String> parts = new ArrayList<>();
        for (String value : textValues) {
            if (value != null && !value.isBlank()) {
                parts.add(value);
            }
        }
        if (parts.isEmpty()) {
            throw new DataFormatException(source, line, "every text field " + fields.textFields() + " is empty");
        }
        String text = String.join(" ", parts);
        if (fields.labelField() != null && (label == null || label.isBlank())) {
            throw new DataFormatException(source, line, "empty label field '" + fields.labelField() + "'");
        }
        List<EntitySpan> spans = null;
        if (annotations != null) {
            EntityLocator.Result located = EntityLocator.locate(text, annotations);
            spans = located.spans();
            for (EntityLocator.Problem problem : located.problems()) {
                issues.add(new AlignmentIssue(line, problem.annotation(), problem.reason()));
            }
        }
        examples.add(new Example(text, label == null ? null : label.strip(), spans, line));
    }

    /** Parses an annotation cell, turning a syntax error into one that names the line. */
    List<Annotation> parseAnnotations(int line, String cell) throws DataFormatException {
        try {
            return AnnotationParser.parse(cell == null ? "" : cell);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source, line, "field '" + fields.annotationsField() + "': "
                    + e.getMessage());
        }
    }

    Dataset build() {
        return new Dataset(source, examples, issues);
    }
}
