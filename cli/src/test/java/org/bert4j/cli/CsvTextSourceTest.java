package org.bert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.Reader;
import java.util.List;
import org.bert4j.heads.data.DataFormatException;
import org.junit.jupiter.api.Test;

/** CSV input streams: records are parsed as they are asked for, quoted line breaks and all. */
class CsvTextSourceTest {
    static final int ROWS = 20_000;

    /** Row i as CSV: a quoted field with a line break and doubled quotes, over two physical lines. */
    static String row(int i) {
        return i + ",\"line one of " + i + "\nline \"\"two\"\"\",x\n";
    }

    static String expected(int i) {
        return "line one of " + i + "\nline \"two\" " + i;
    }

    /** A CSV made up as it is read, counting the characters handed out. */
    static final class GeneratedCsv extends Reader {
        final int rows;
        final int badRow;
        int next = -1; // -1: the header
        String pending = "";
        int at;
        long charsRead;

        GeneratedCsv(int rows, int badRow) {
            this.rows = rows;
            this.badRow = badRow;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (at == pending.length()) {
                if (next >= rows) {
                    return -1;
                }
                pending = next < 0 ? "id,text,other\n" : next == badRow ? next + ",\"x\"y,z\n" : row(next);
                next++;
                at = 0;
            }
            int n = Math.min(length, pending.length() - at);
            pending.getChars(at, at + n, buffer, offset);
            at += n;
            charsRead += n;
            return n;
        }

        @Override
        public void close() {}
    }

    static long totalChars() {
        long total = "id,text,other\n".length();
        for (int i = 0; i < ROWS; i++) {
            total += row(i).length();
        }
        return total;
    }

    @Test
    void theFirstBatchComesBeforeTheFileIsRead() throws Exception {
        GeneratedCsv csv = new GeneratedCsv(ROWS, -1);
        try (CsvTextSource source = CsvTextSource.open("gen.csv", new BufferedReader(csv, 1024), List.of("text", "id"), "embed")) {
            assertEquals(List.of(expected(0), expected(1)), source.nextBatch(2));
            // A read buffer or two, not the whole input (about 800 K characters).
            assertTrue(csv.charsRead < 40_000, csv.charsRead + " of " + totalChars() + " characters read");
        }
    }

    @Test
    void everyRecordComesThroughAcrossBufferBoundaries() throws Exception {
        try (CsvTextSource source = CsvTextSource.open("gen.csv", new BufferedReader(new GeneratedCsv(ROWS, -1), 1024),
                List.of("text", "id"), "embed")) {
            for (int i = 0; i < ROWS; i++) {
                assertEquals(expected(i), source.next(), "row " + i);
            }
            assertNull(source.next());
        }
    }

    @Test
    void aBadRecordIsReportedWhenReachedWithItsLine() throws Exception {
        try (CsvTextSource source = CsvTextSource.open("gen.csv", new BufferedReader(new GeneratedCsv(ROWS, 5), 1024),
                List.of("text"), "embed")) {
            assertEquals(5, source.nextBatch(5).size());
            // Header on line 1, each good row takes two lines: row 5 starts on line 12.
            DataFormatException e = assertThrows(DataFormatException.class, source::next);
            assertTrue(e.getMessage().startsWith("gen.csv, line 12: text after the closing quote"), e.getMessage());
        }
    }
}
