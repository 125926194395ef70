package org.bert4j.heads.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed CSV file: its header and its records, each record remembering the line it starts on so that
 * later problems (a bad annotation, an unknown label) can point at it.
 */
public record CsvTable(String source, List<String> header, List<Row> rows) {

    /** One record: the 1-based line it starts on (a quoted field may span several lines) and its fields. */
    public record Row(int line, List<String> fields) {
        public Row {
            fields = List.copyOf(fields);
        }
    }

    public CsvTable {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
    }

    /** The index of {@code column} in the header; a missing column is an error naming the columns there are. */
    public int column(String column) throws DataFormatException {
        int index = header.indexOf(column);
        if (index < 0) {
            throw new DataFormatException(source, 1, "no column '" + column + "' (columns: " + header + ")");
        }
        return index;
    }

    /** The values of one column, in row order. */
    public List<String> columnValues(String column) throws DataFormatException {
        int index = column(column);
        List<String> values = new ArrayList<>(rows.size());
        for (Row row : rows) {
            values.add(row.fields().get(index));
        }
        return values;
    }
}
