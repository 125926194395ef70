package org.bert4j.heads.data;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/** Picks the reader for a data file by its extension, for callers (like the command line) that take any of them. */
public final class Datasets {

    private Datasets() {
    }

    /**
     * Reads a {@code .csv} or {@code .jsonl} / {@code .json} file whose columns or fields are chosen by {@code fields};
     * a {@code .conll} file (or {@code .txt}, {@code .bio}, {@code .iob}) as CoNLL; {@code .jsonl} files whose first
     * text field is {@code tokens} as {@code {"tokens":[…], "tags":[…]}} lines (the tag field is the annotations
     * field, {@code tags} when not given).
     */
    public static Dataset read(Path file, FieldMapping fields) throws IOException {
        return read(file, fields, StandardCharsets.UTF_8);
    }

    /** As {@link #read(Path, FieldMapping)}, for a file in another charset (e.g. windows-1252 for Latin-1 text). */
    public static Dataset read(Path file, FieldMapping fields, Charset charset) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CsvDataset.read(file, fields, charset);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
            if (fields != null && fields.textFields().equals(java.util.List.of("tokens"))) {
                return JsonlDataset.readTokenTags(file, "tokens",
                        fields.annotationsField() == null ? "tags" : fields.annotationsField(), charset);
            }
            return JsonlDataset.read(file, fields, charset);
        }
        if (name.endsWith(".conll") || name.endsWith(".txt") || name.endsWith(".bio") || name.endsWith(".iob")) {
            return ConllDataset.read(file, charset);
        }
        throw new DataFormatException(file.toString(), 0,
                "unknown data format: expected .csv, .jsonl or .conll (also .json, .txt, .bio, .iob)");
    }
}
