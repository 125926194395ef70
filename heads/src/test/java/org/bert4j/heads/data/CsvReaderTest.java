package org.bert4j.heads.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {

    @Test
    void quotedFieldsKeepCommasDoubledQuotesAndNewlines() throws Exception {
        String csv = "a,b,c\n"
                + "plain,\"with, comma\",\"say \"\"hi\"\"\"\n"
                + "\"two\nlines\",,\"\"\n"
                + "last,x,y";
        CsvTable table = CsvReader.parse(csv, "t.csv");
        assertEquals(List.of("a", "b", "c"), table.header());
        assertEquals(List.of("plain", "with, comma", "say \"hi\""), table.rows().get(0).fields());
        assertEquals(List.of("two\nlines", "", ""), table.rows().get(1).fields());
        assertEquals(List.of("last", "x", "y"), table.rows().get(2).fields());
    }

    @Test
    void rowsRememberTheLineTheyStartOnAcrossEmbeddedNewlines() throws Exception {
        CsvTable table = CsvReader.parse("h1,h2\r\n\"a\r\nb\nc\",1\r\nd,2\r\n", "t.csv");
        assertEquals(2, table.rows().get(0).line());
        assertEquals("a\r\nb\nc", table.rows().get(0).fields().get(0));
        assertEquals(5, table.rows().get(1).line());
    }

    @Test
    void byteOrderMarkAndEmptyLinesAreSkipped() throws Exception {
        CsvTable table = CsvReader.parse("\uFEFFx,y\n\n1,2\n\n", "t.csv");
        assertEquals(List.of("x", "y"), table.header());
        assertEquals(1, table.rows().size());
    }

    @Test
    void wrongFieldCountNamesTheLine() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.parse("a,b\n1,2\n3,4,5\n", "bad.csv"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("bad.csv, line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 2 fields"), e.getMessage());
    }

    @Test
    void unclosedQuoteNamesTheLineItOpensOn() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.parse("a,b\n1,2\n3,\"never\nclosed\n", "bad.csv"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("never closed"), e.getMessage());
    }

    @Test
    void quoteInsideAnUnquotedFieldIsAnError() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.parse("a,b\n1,ab\"c\n", "bad.csv"));
        assertEquals(2, e.line());
    }

    @Test
    void textAfterAClosingQuoteIsAnError() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvReader.parse("a,b\n1,2\n\"x\"y,2\n", "bad.csv"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("after the closing quote"), e.getMessage());
    }

    @Test
    void missingColumnListsTheColumnsThereAre() throws Exception {
        CsvTable table = CsvReader.parse("a,b\n1,2\n", "t.csv");
        DataFormatException e = assertThrows(DataFormatException.class, () -> table.column("category"));
        assertTrue(e.getMessage().contains("no column 'category'") && e.getMessage().contains("[a, b]"),
                e.getMessage());
    }

    @Test
    void emptyTextHasNoHeader() {
        assertThrows(DataFormatException.class, () -> CsvReader.parse("", "empty.csv"));
    }
}
