package org.bert4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bert4j.heads.data.CsvRecords;
import org.bert4j.heads.data.CsvTable;

/**
 * Texts from CSV columns joined with a space, as the seed's {@code get_input_sentence} joins
 * {@code headline} and {@code short_description}. Uses the heads module's RFC 4180 rules (quoted commas,
 * doubled quotes, line breaks inside quotes) one record at a time, so a CSV of any size streams.
 */
final class CsvTextSource implements TextSource {
    private final CsvRecords records;
    private final int[] columns;

    private CsvTextSource(CsvRecords records, int[] columns) {
        this.records = records;
        this.columns = columns;
    }

    static CsvTextSource open(String name, BufferedReader reader, List<String> columnNames, String command) throws IOException {
        if (columnNames.isEmpty()) {
            reader.close();
            throw new UsageException(command + ": CSV input needs --columns (e.g. --columns headline,short_description)");
        }
        CsvRecords records = CsvRecords.open(reader, name);
        int[] columns = new int[columnNames.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = records.header().indexOf(columnNames.get(i));
            if (columns[i] < 0) {
                records.close();
                throw new UsageException(command + ": " + name + " has no column '" + columnNames.get(i)
                        + "'; its columns are: " + String.join(", ", records.header()));
            }
        }
        return new CsvTextSource(records, columns);
    }

    @Override
    public String next() throws IOException {
        CsvTable.Row row = records.next();
        if (row == null) {
            return null;
        }
        List<String> parts = new ArrayList<>(columns.length);
        for (int column : columns) {
            parts.add(row.fields().get(column));
        }
        return String.join(" ", parts);
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
