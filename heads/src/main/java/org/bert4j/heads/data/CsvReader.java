package org.bert4j.heads.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 CSV reader: comma-separated fields, fields in double quotes may hold commas, line breaks and
 * doubled quotes ({@code ""} for one {@code "}); CRLF and LF line ends are both accepted.
 *
 * <p>It is strict where RFC 4180 is: a quote inside an unquoted field, text after a closing quote, a quote
 * left open at the end of the file, or a record whose field count differs from the header's is an error
 * naming the line. Two leniencies, as pandas has them: a UTF-8 byte-order mark is skipped and lines that
 * are entirely empty are ignored.
 */
public final class CsvReader {

    private CsvReader() {
    }

    /** Reads a UTF-8 CSV file whose first record is the header. */
    public static CsvTable read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file.toString(), 0, "no such file");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses CSV text whose first record is the header; {@code source} names it in errors. */
    public static CsvTable parse(String text, String source) throws DataFormatException {
        List<CsvTable.Row> records = new Parser(text, source).records();
        if (records.isEmpty()) {
            throw new DataFormatException(source, 0, "empty CSV: no header");
        }
        CsvTable.Row header = records.getFirst();
        List<CsvTable.Row> rows = records.subList(1, records.size());
        for (CsvTable.Row row : rows) {
            if (row.fields().size() != header.fields().size()) {
                throw new DataFormatException(source, row.line(), "expected " + header.fields().size()
                        + " fields as in the header, found " + row.fields().size());
            }
        }
        return new CsvTable(source, header.fields(), rows);
    }

    /** A single pass over the text; {@code line} counts physical lines so errors can name them. */
    private static final class Parser {
        private final String text;
        private final String source;
        private int pos;
        private int line = 1;

        Parser(String text, String source) {
            this.text = text;
            this.source = source;
            this.pos = text.startsWith("\uFEFF") ? 1 : 0;
        }

        List<CsvTable.Row> records() throws DataFormatException {
            List<CsvTable.Row> records = new ArrayList<>();
            while (pos < text.length()) {
                if (atLineEnd()) {
                    skipLineEnd(); // an entirely empty line: no record
                    continue;
                }
                int startLine = line;
                List<String> fields = new ArrayList<>();
                while (true) {
                    fields.add(field());
                    if (pos >= text.length()) {
                        break;
                    }
                    if (text.charAt(pos) == ',') {
                        pos++;
                        continue;
                    }
                    skipLineEnd();
                    break;
                }
                records.add(new CsvTable.Row(startLine, fields));
            }
            return records;
        }

        private String field() throws DataFormatException {
            if (pos < text.length() && text.charAt(pos) == '"') {
                return quotedField();
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ',' && !atLineEnd()) {
                if (text.charAt(pos) == '"') {
                    throw new DataFormatException(source, line,
                            "a double quote inside an unquoted field (column " + (pos - lineStart() + 1)
                                    + "); quote the field and double the quote");
                }
                pos++;
            }
            return text.substring(start, pos);
        }

        private String quotedField() throws DataFormatException {
            int openLine = line;
            pos++; // the opening quote
            StringBuilder value = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw new DataFormatException(source, openLine, "a quoted field is never closed");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                        value.append('"');
                        pos += 2;
                        continue;
                    }
                    pos++; // the closing quote
                    if (pos < text.length() && text.charAt(pos) != ',' && !atLineEnd()) {
                        throw new DataFormatException(source, line, "text after the closing quote of a field: '"
                                + text.substring(pos, Math.min(text.length(), pos + 20)) + "'");
                    }
                    return value.toString();
                }
                if (c == '\n') {
                    line++;
                }
                value.append(c);
                pos++;
            }
        }

        private boolean atLineEnd() {
            char c = text.charAt(pos);
            return c == '\n' || c == '\r';
        }

        private void skipLineEnd() {
            if (text.charAt(pos) == '\r') {
                pos++;
            }
            if (pos < text.length() && text.charAt(pos) == '\n') {
                pos++;
            }
            line++;
        }

        private int lineStart() {
            int start = text.lastIndexOf('\n', pos - 1);
            return start + 1;
        }
    }
}
