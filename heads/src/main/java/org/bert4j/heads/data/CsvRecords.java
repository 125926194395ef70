package org.bert4j.heads.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CsvReader}'s RFC 4180 rules applied one record at a time, so a caller can stream a file of any size: only
 * the current record (and a fixed read buffer) is held. The header is read on opening; every later record must
 * have as many fields, and every error names the source and line.
 */
public final class CsvRecords implements Closeable {

    private final Reader in;
    private final String source;
    private final char[] buffer = new char[1 << 14];
    private int pos;
    private int limit;
    private int line = 1;
    private int column; // characters consumed since the last '\n', for error messages
    private boolean ended; // the reader said end of input: on a terminal, another read waits for another Ctrl-D
    private final List<String> header;

    private CsvRecords(Reader in, String source) throws IOException {
        this.in = in;
        this.source = source;
        if (peek() == '\uFEFF') {
            pos++; // a UTF-8 byte-order mark, as pandas skips it
        }
        CsvTable.Row first = record();
        if (first == null) {
            throw new DataFormatException(source, 0, "empty CSV: no header");
        }
        this.header = first.fields();
    }

    /** Opens {@code in} (closed by {@link #close()}) and reads its header; {@code source} names it in errors. */
    public static CsvRecords open(Reader in, String source) throws IOException {
        try {
            return new CsvRecords(in, source);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The header's fields. */
    public List<String> header() {
        return header;
    }

    /** The next record, or null at the end of the input. */
    public CsvTable.Row next() throws IOException {
        CsvTable.Row row = record();
        if (row != null && row.fields().size() != header.size()) {
            throw new DataFormatException(source, row.line(), "expected " + header.size()
                    + " fields as in the header, found " + row.fields().size());
        }
        return row;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private CsvTable.Row record() throws IOException {
        while (isLineEnd(peek())) {
            skipLineEnd(); // an entirely empty line: no record
        }
        if (peek() < 0) {
            return null;
        }
        int startLine = line;
        List<String> fields = new ArrayList<>();
        while (true) {
            fields.add(field());
            int c = peek();
            if (c < 0) {
                break;
            }
            if (c == ',') {
                consume();
                continue;
            }
            skipLineEnd();
            break;
        }
        return new CsvTable.Row(startLine, fields);
    }

    private String field() throws IOException {
        if (peek() == '"') {
            return quotedField();
        }
        StringBuilder value = new StringBuilder();
        for (int c = peek(); c >= 0 && c != ',' && !isLineEnd(c); c = peek()) {
            if (c == '"') {
                throw new DataFormatException(source, line, "a double quote inside an unquoted field (column "
                        + (column + 1) + "); quote the field and double the quote");
            }
            value.append((char) consume());
        }
        return value.toString();
    }

    private String quotedField() throws IOException {
        int openLine = line;
        consume(); // the opening quote
        StringBuilder value = new StringBuilder();
        while (true) {
            int c = peek();
            if (c < 0) {
                throw new DataFormatException(source, openLine, "a quoted field is never closed");
            }
            consume();
            if (c == '"') {
                if (peek() == '"') {
                    value.append((char) consume());
                    continue;
                }
                int after = peek();
                if (after >= 0 && after != ',' && !isLineEnd(after)) {
                    throw new DataFormatException(source, line, "text after the closing quote of a field: '"
                            + upTo(20) + "'");
                }
                return value.toString();
            }
            value.append((char) c);
        }
    }

    /** Up to {@code n} characters of the rest of the line, for an error message. */
    private String upTo(int n) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int c = peek(); c >= 0 && !isLineEnd(c) && text.length() < n; c = peek()) {
            text.append((char) consume());
        }
        return text.toString();
    }

    private static boolean isLineEnd(int c) {
        return c == '\n' || c == '\r';
    }

    private void skipLineEnd() throws IOException {
        if (peek() == '\r') {
            consume();
        }
        if (peek() == '\n') {
            consume();
        } else {
            line++; // a lone CR ends a line too; consume() counts the LF case
            column = 0;
        }
    }

    /** The next character without consuming it, or -1 at the end. */
    private int peek() throws IOException {
        if (pos == limit) {
            if (ended) {
                return -1;
            }
            limit = in.read(buffer, 0, buffer.length);
            pos = 0;
            if (limit <= 0) {
                limit = 0;
                ended = true;
                return -1;
            }
        }
        return buffer[pos];
    }

    private int consume() throws IOException {
        int c = peek();
        pos++;
        if (c == '\n') {
            line++;
            column = 0;
        } else {
            column++;
        }
        return c;
    }
}
