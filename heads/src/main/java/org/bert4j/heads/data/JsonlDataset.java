package org.bert4j.heads.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads examples from JSON Lines: one object a line (blank lines skipped). Either fields chosen by a
 * {@link FieldMapping}, as CSV columns are, or pre-tokenised NER lines {@code {"tokens":[…], "tags":[…]}}.
 *
 * <p>An annotations field may hold the seed's annotation string or a JSON array of {@code [text, LABEL]} pairs.
 */
public final class JsonlDataset {

    private JsonlDataset() {
    }

    /** Reads lines whose fields are chosen by {@code fields}; errors name the file and line. */
    public static Dataset read(Path file, FieldMapping fields) throws IOException {
        return read(file, fields, StandardCharsets.UTF_8);
    }

    /** As {@link #read(Path, FieldMapping)}, for a file in another charset (JSON Lines are UTF-8 by the standard). */
    public static Dataset read(Path file, FieldMapping fields, Charset charset) throws IOException {
        String source = file.toString();
        ExampleBuilder builder = new ExampleBuilder(source, fields);
        forEachObject(file, charset, (line, object) -> {
            List<String> texts = new ArrayList<>();
            for (String field : fields.textFields()) {
                texts.add(string(source, line, object, field, true));
            }
            String label = fields.labelField() == null ? null : string(source, line, object, fields.labelField(), true);
            List<Annotation> annotations = null;
            if (fields.annotationsField() != null) {
                JsonElement cell = object.get(fields.annotationsField());
                if (cell == null || cell.isJsonNull()) {
                    annotations = List.of();
                } else if (cell.isJsonArray()) {
                    annotations = pairs(source, line, fields.annotationsField(), cell.getAsJsonArray());
                } else {
                    annotations = builder.parseAnnotations(line, string(source, line, object,
                            fields.annotationsField(), true));
                }
            }
            builder.add(line, texts, label, annotations);
        });
        return builder.build();
    }

    /** Reads pre-tokenised NER lines {@code {"tokens":[…], "tags":[…]}} (tags in BIO, IOB1, IO or BIOES). */
    public static Dataset readTokenTags(Path file) throws IOException {
        return readTokenTags(file, "tokens", "tags");
    }

    /** Reads pre-tokenised NER lines with the given field names. */
    public static Dataset readTokenTags(Path file, String tokensField, String tagsField) throws IOException {
        return readTokenTags(file, tokensField, tagsField, StandardCharsets.UTF_8);
    }

    /** As {@link #readTokenTags(Path, String, String)}, for a file in another charset. */
    public static Dataset readTokenTags(Path file, String tokensField, String tagsField, Charset charset)
            throws IOException {
        String source = file.toString();
        List<Example> examples = new ArrayList<>();
        forEachObject(file, charset, (line, object) -> {
            List<String> tokens = stringArray(source, line, object, tokensField);
            List<String> tags = stringArray(source, line, object, tagsField);
            examples.add(TaggedTokens.toExample(tokens, tags, source, line));
        });
        return new Dataset(source, examples, List.of());
    }

    private interface LineHandler {
        void accept(int line, JsonObject object) throws DataFormatException;
    }

    private static void forEachObject(Path file, Charset charset, LineHandler handler) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file.toString(), 0, "no such file");
        }
        try (BufferedReader reader = new BufferedReader(StrictTextReader.open(file, charset), 1 << 16)) {
            String text;
            int line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonElement element;
                try {
                    element = JsonParser.parseString(text);
                } catch (JsonSyntaxException e) {
                    throw new DataFormatException(file.toString(), line, "not valid JSON: " + e.getMessage());
                }
                if (!element.isJsonObject()) {
                    throw new DataFormatException(file.toString(), line, "expected a JSON object");
                }
                handler.accept(line, element.getAsJsonObject());
            }
        }
    }

    private static String string(String source, int line, JsonObject object, String field, boolean required)
            throws DataFormatException {
        JsonElement value = object.get(field);
        if (value == null || value.isJsonNull()) {
            if (required) {
                throw new DataFormatException(source, line, "no field '" + field + "' (fields: " + object.keySet() + ")");
            }
            return null;
        }
        if (!value.isJsonPrimitive()) {
            throw new DataFormatException(source, line, "field '" + field + "' is not a string");
        }
        return value.getAsString();
    }

    private static List<String> stringArray(String source, int line, JsonObject object, String field)
            throws DataFormatException {
        JsonElement value = object.get(field);
        if (value == null || !value.isJsonArray()) {
            throw new DataFormatException(source, line, "field '" + field + "' must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonElement element : value.getAsJsonArray()) {
            if (!element.isJsonPrimitive()) {
                throw new DataFormatException(source, line, "field '" + field + "' must hold only strings");
            }
            strings.add(element.getAsString());
        }
        return strings;
    }

    private static List<Annotation> pairs(String source, int line, String field, JsonArray array)
            throws DataFormatException {
        List<Annotation> annotations = new ArrayList<>();
        for (JsonElement element : array) {
            if (!element.isJsonArray() || element.getAsJsonArray().size() != 2) {
                throw new DataFormatException(source, line, "field '" + field + "' must hold [text, LABEL] pairs");
            }
            JsonArray pair = element.getAsJsonArray();
            if (!isString(pair.get(0)) || !isString(pair.get(1))) {
                throw new DataFormatException(source, line, "field '" + field + "': " + pair
                        + " is not a [text, LABEL] pair of strings");
            }
            try {
                annotations.add(new Annotation(pair.get(0).getAsString(), pair.get(1).getAsString().strip()));
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(source, line, "field '" + field + "': " + e.getMessage());
            }
        }
        return annotations;
    }

    private static boolean isString(JsonElement element) {
        return element.isJsonPrimitive() && element.getAsJsonPrimitive().isString();
    }
}
