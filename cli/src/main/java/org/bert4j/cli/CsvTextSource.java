package org.bert4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bert4j.heads.data.CsvReader;
import org.bert4j.heads.data.CsvTable;

/**
 * Texts from CSV columns joined with a space, as the seed's {@code get_input_sentence} joins
 * {@code headline} and {@code short_description}. Uses the heads module's RFC 4180 reader (quoted commas,
 * doubled quotes, line breaks inside quotes), which parses the file as a whole.
 */
final class CsvTextSource implements TextSource {
    private final Iterator<List<String>> rows;
    private final int[] columns;

    private CsvTextSource(Iterator<List<String>> rows, int[] columns) {
        this.rows = rows;
        this.columns = columns;
    }

    static CsvTextSource open(String name, BufferedReader reader, List<String> columnNames, String command) throws IOException {
        if (columnNames.isEmpty()) {
            throw new UsageException(command + ": CSV input needs --columns (e.g. --columns headline,short_description)");
        }
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[1 << 16];
        try (reader) {
            for (int n; (n = reader.read(buffer)) > 0; ) {
                text.append(buffer, 0, n);
            }
        }
        CsvTable table = CsvReader.parse(text.toString(), name);
        int[] columns = new int[columnNames.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = table.header().indexOf(columnNames.get(i));
            if (columns[i] < 0) {
                throw new UsageException(command + ": " + name + " has no column '" + columnNames.get(i)
                        + "'; its columns are: " + String.join(", ", table.header()));
            }
        }
        return new CsvTextSource(table.rows().stream().map(CsvTable.Row::fields).iterator(), columns);
    }

    @Override
    public String next() {
        if (!rows.hasNext()) {
            return null;
        }
        List<String> fields = rows.next();
        List<String> parts = new ArrayList<>(columns.length);
        for (int column : columns) {
            parts.add(fields.get(column));
        }
        return String.join(" ", parts);
    }

    @Override
    public void close() {}
}
