package org.bert4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bert4j.heads.data.MalformedTextException;
import org.bert4j.heads.data.StrictTextReader;

/**
 * The texts a command works on, read one at a time so that any input size streams: the command-line
 * arguments, a file ({@code --input}: plain lines, JSONL, or CSV with {@code --columns}), or stdin.
 */
public interface TextSource extends AutoCloseable {

    /** The next text, or {@code null} at the end. */
    String next() throws IOException;

    @Override
    void close() throws IOException;

    /** Up to {@code size} next texts; an empty list at the end. */
    default List<String> nextBatch(int size) throws IOException {
        List<String> batch = new ArrayList<>(Math.min(size, 1024));
        String text;
        while (batch.size() < size && (text = next()) != null) {
            batch.add(text);
        }
        return batch;
    }

    /** Options a command that reads texts declares. */
    java.util.Set<String> OPTIONS = java.util.Set.of("input", "input-format", "columns", Encodings.OPTION);

    /** {@code first}, then the rest of {@code rest}: a text read ahead (to see whether there is any) put back. */
    static TextSource startingWith(String first, TextSource rest) {
        return new TextSource() {
            private boolean given;

            @Override
            public String next() throws IOException {
                if (!given) {
                    given = true;
                    return first;
                }
                return rest.next();
            }

            @Override
            public void close() throws IOException {
                rest.close();
            }
        };
    }

    /**
     * Chooses the source: positional texts win; else {@code --input FILE} ({@code -} = stdin); else stdin when
     * it is not a terminal. The file format comes from {@code --input-format} or the file extension, the charset from
     * {@code --encoding} (UTF-8 by default); bytes that are not text in it are an error naming the line and offset.
     */
    static TextSource open(CommandLine args, Console console, List<String> texts) throws IOException {
        String input = args.get("input");
        Charset charset = Encodings.charset(args);
        String format = args.getChoice("input-format", guessFormat(input), List.of("plain", "jsonl", "csv"));
        List<String> columns = args.getList("columns");
        if (!texts.isEmpty() && input != null) {
            throw new UsageException(args.command() + ": give texts as arguments or with --input, not both");
        }
        if (!texts.isEmpty()) {
            Iterator<String> it = texts.iterator();
            return new TextSource() {
                @Override
                public String next() {
                    return it.hasNext() ? it.next() : null;
                }

                @Override
                public void close() {}
            };
        }
        if (format.equals("plain") && !columns.isEmpty()) {
            throw new UsageException(args.command() + ": --columns applies to JSONL and CSV input, not plain lines");
        }
        if (format.equals("csv") && columns.isEmpty()) {
            throw new UsageException(args.command() + ": CSV input needs --columns (e.g. --columns headline,short_description)");
        }
        String name;
        BufferedReader reader;
        if (input == null || input.equals("-")) {
            if (input == null && System.console() != null && console.in() == System.in) {
                throw new UsageException(args.command() + ": no input: give texts as arguments, --input FILE, or pipe them to stdin");
            }
            name = "stdin";
            reader = new BufferedReader(new StrictTextReader(console.in(), name, charset), 1 << 16);
        } else {
            Path file = Path.of(input);
            if (Files.isDirectory(file)) {
                throw new UsageException(args.command() + ": --input is a folder, not a file: " + file);
            }
            try {
                reader = new BufferedReader(StrictTextReader.open(file, charset), 1 << 16);
            } catch (NoSuchFileException e) {
                throw new UsageException(args.command() + ": input file not found: " + file);
            }
            name = file.toString();
        }
        try {
            return hinting(switch (format) {
                case "jsonl" -> new JsonlSource(name, reader, args.getList("columns", List.of("text")));
                case "csv" -> CsvTextSource.open(name, reader, columns, args.command());
                default -> new LineSource(reader);
            });
        } catch (MalformedTextException e) {
            reader.close();
            throw Encodings.withHint(e);   // in the CSV header, read when the source opens
        }
    }

    /** Adds to an encoding error which {@code --encoding} would read the input. */
    private static TextSource hinting(TextSource source) {
        return new TextSource() {
            @Override
            public String next() throws IOException {
                try {
                    return source.next();
                } catch (MalformedTextException e) {
                    throw Encodings.withHint(e);
                }
            }

            @Override
            public void close() throws IOException {
                source.close();
            }
        };
    }

    private static String guessFormat(String input) {
        if (input == null) {
            return "plain";
        }
        String lower = input.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
            return "jsonl";
        }
        return lower.endsWith(".csv") ? "csv" : "plain";
    }

    /** One text per line; a blank line is an empty text (the encoder decides what that means). */
    final class LineSource implements TextSource {
        private final BufferedReader reader;

        LineSource(BufferedReader reader) {
            this.reader = reader;
        }

        @Override
        public String next() throws IOException {
            return reader.readLine();
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** One JSON object per line; the chosen string fields are joined with a space, as the seed joins columns. */
    final class JsonlSource implements TextSource {
        private final String name;
        private final BufferedReader reader;
        private final List<String> fields;
        private long lineNumber;

        JsonlSource(String name, BufferedReader reader, List<String> fields) {
            this.name = name;
            this.reader = reader;
            this.fields = fields;
        }

        @Override
        public String next() throws IOException {
            String line;
            do {
                line = reader.readLine();
                lineNumber++;
                if (line == null) {
                    return null;
                }
            } while (line.isBlank());
            JsonObject object;
            try {
                JsonElement element = JsonParser.parseString(line);
                if (!element.isJsonObject()) {
                    throw new IOException(name + " line " + lineNumber + ": expected a JSON object");
                }
                object = element.getAsJsonObject();
            } catch (JsonParseException e) {
                throw new IOException(name + " line " + lineNumber + ": not valid JSON (" + e.getMessage() + ")");
            }
            List<String> parts = new ArrayList<>(fields.size());
            for (String field : fields) {
                JsonElement value = object.get(field);
                if (value == null) {
                    throw new IOException(name + " line " + lineNumber + ": no field '" + field + "' (fields: "
                            + String.join(", ", object.keySet()) + ")");
                }
                if (!value.isJsonPrimitive()) {
                    throw new IOException(name + " line " + lineNumber + ": field '" + field + "' is not a string");
                }
                parts.add(value.getAsString());
            }
            return String.join(" ", parts);
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
