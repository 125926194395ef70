package org.bert4j.heads.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
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
 * are entirely empty are ignored. The parsing itself is {@link CsvRecords}, which streams; this class collects
 * every record into a table, for training data that is used as a whole anyway.
 */
public final class CsvReader {

    private CsvReader() {
    }

    /** Reads a UTF-8 CSV file whose first record is the header. */
    public static CsvTable read(Path file) throws IOException {
        return read(file, StandardCharsets.UTF_8);
    }

    /** Reads a CSV file in {@code charset}; bytes that are not text in it are an error naming the line and offset. */
    public static CsvTable read(Path file, Charset charset) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file.toString(), 0, "no such file");
        }
        try (CsvRecords records = CsvRecords.open(new BufferedReader(StrictTextReader.open(file, charset), 1 << 16),
                file.toString())) {
            return table(records, file.toString());
        }
    }

    /** Parses CSV text whose first record is the header; {@code source} names it in errors. */
    public static CsvTable parse(String text, String source) throws DataFormatException {
        try (CsvRecords records = CsvRecords.open(new StringReader(text), source)) {
            return table(records, source);
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a String failed", e); // a StringReader does not fail
        }
    }

    private static CsvTable table(CsvRecords records, String source) throws IOException {
        List<CsvTable.Row> rows = new ArrayList<>();
        for (CsvTable.Row row = records.next(); row != null; row = records.next()) {
            rows.add(row);
        }
        return new CsvTable(source, records.header(), rows);
    }
}
