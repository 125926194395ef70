package org.bert4j.heads.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnnotationParserTest {

    @Test
    void curlyQuotedTuplesWithIrregularSpacing() {
        assertEquals(List.of(new Annotation("4 Million", "AMOUNT"), new Annotation("171 Million", "AMOUNT"),
                        new Annotation("U.S.", "COUNTRY")),
                AnnotationParser.parse("[(‘4 Million’, ‘AMOUNT’), (‘171 Million’, ‘AMOUNT’),  (‘U.S.’, ‘COUNTRY’)]"));
    }

    @Test
    void aClosingCurlyQuoteMayOpenAString() {
        assertEquals(List.of(new Annotation("63-year-old woman", "PERSON"), new Annotation("Monday", "DATETIME")),
                AnnotationParser.parse("[(’63-year-old woman’, ‘PERSON’), (‘Monday’, ‘DATETIME’)]"));
    }

    @Test
    void apostrophesInsideTheEntityStayInTheEntity() {
        assertEquals(List.of(new Annotation("toddler’s toothbrush", "THING"), new Annotation("O'Brien", "PERSON")),
                AnnotationParser.parse("[(‘toddler’s toothbrush’, ‘THING’), ('O'Brien', 'PERSON')]"));
    }

    @Test
    void straightQuotesAndPythonEscapesAndTrailingCommas() {
        assertEquals(List.of(new Annotation("it's", "X"), new Annotation("say \"hi\"", "Y")),
                AnnotationParser.parse("[('it\\'s', 'X',), (\"say \\\"hi\\\"\", \"Y\"),]"));
    }

    @Test
    void emptyCellsAndEmptyListsHaveNoAnnotations() {
        assertEquals(List.of(), AnnotationParser.parse(""));
        assertEquals(List.of(), AnnotationParser.parse("  "));
        assertEquals(List.of(), AnnotationParser.parse("[]"));
    }

    @Test
    void malformedCellsAreRejectedWithThePosition() {
        for (String bad : List.of("[(‘a’ ‘B’)]", "[(‘a’, ‘B’)", "(‘a’, ‘B’)", "[(a, B)]", "[(‘a’, ‘B’)] x",
                "[(‘’, ‘B’)]", "[(‘  ’, ‘B’)]", "[(' ', 'B')]", "[(‘a’, ‘ ’)]", "[(‘a, B)]")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AnnotationParser.parse(bad),
                    bad);
            assertTrue(e.getMessage().startsWith("malformed annotations at character"), e.getMessage());
        }
    }
}
