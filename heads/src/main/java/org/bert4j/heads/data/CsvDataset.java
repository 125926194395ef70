package org.bert4j.heads.data;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads examples from a CSV file whose columns are chosen by a {@link FieldMapping} (the seed's CSV layout). */
public final class CsvDataset {

    private CsvDataset() {
    }

    /** Reads {@code file}; a missing column or a malformed row is an error naming the file and line. */
    public static Dataset read(Path file, FieldMapping fields) throws IOException {
        return read(file, fields, StandardCharsets.UTF_8);
    }

    /** As {@link #read(Path, FieldMapping)}, for a file in another charset (e.g. windows-1252). */
    public static Dataset read(Path file, FieldMapping fields, Charset charset) throws IOException {
        return fromTable(CsvReader.read(file, charset), fields);
    }

    /** Builds examples from an already parsed table. */
    public static Dataset fromTable(CsvTable table, FieldMapping fields) throws DataFormatException {
        List<Integer> textColumns = new ArrayList<>();
        for (String field : fields.textFields()) {
            textColumns.add(table.column(field));
        }
        int labelColumn = fields.labelField() == null ? -1 : table.column(fields.labelField());
        int annotationColumn = fields.annotationsField() == null ? -1 : table.column(fields.annotationsField());
        ExampleBuilder builder = new ExampleBuilder(table.source(), fields);
        for (CsvTable.Row row : table.rows()) {
            List<String> texts = new ArrayList<>();
            for (int column : textColumns) {
                texts.add(row.fields().get(column));
            }
            String label = labelColumn < 0 ? null : row.fields().get(labelColumn);
            List<Annotation> annotations = annotationColumn < 0 ? null
                    : builder.parseAnnotations(row.line(), row.fields().get(annotationColumn));
            builder.add(row.line(), texts, label, annotations);
        }
        return builder.build();
    }
}
