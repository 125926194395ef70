package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BertNormalizerTest {

    private static String normalize(BertNormalizer n, String text) {
        return n.normalize(text, 0, text.length()).toString();
    }

    private static int[][] spans(BertNormalizer n, String text) {
        NormalizedText t = n.normalize(text, 0, text.length());
        int[][] spans = new int[t.length()][];
        for (int i = 0; i < t.length(); i++) {
            spans[i] = new int[] {t.originalStart(i), t.originalEnd(i)};
        }
        return spans;
    }

    @Test
    void cleanTextDeletesControlsAndTurnsEveryWhitespaceIntoASpace() {
        BertNormalizer clean = new BertNormalizer(true, false, false, false);
        assertEquals("a b c d e f", normalize(clean, "a\tb\nc\u00A0d\u3000e\u2009f"));
        assertEquals("ab", normalize(clean, "a\u0000\u200B\uFFFD\u0007\u00ADb"));
    }

    @Test
    void unassignedCharactersAreKeptAsHuggingFaceDoes() {
        // Hugging Face's "control" set has no unassigned code points, whatever its comment says.
        assertEquals("a\u0378b", normalize(BertNormalizer.uncased(), "a\u0378b"));
    }

    @Test
    void chineseCharactersGetSpacesAroundThemButHangulDoesNot() {
        BertNormalizer n = new BertNormalizer(false, true, false, false);
        assertEquals("a 中  文 b한", normalize(n, "a中文b한"));
    }

    @Test
    void stripAccentsDecomposesAndDropsTheMarksKeepingTheSpanOfTheAccentedLetter() {
        BertNormalizer n = new BertNormalizer(false, false, true, false);
        assertEquals("Cafe", normalize(n, "Café"));
        assertArrayEquals(new int[] {3, 4}, spans(n, "Café")[3]);
        assertEquals("e", normalize(n, "e\u0301")); // the combining acute alone is dropped too
    }

    @Test
    void lowercaseUsesTheFullMappingOfDottedCapitalI() {
        BertNormalizer lower = new BertNormalizer(false, false, false, true);
        assertEquals("i\u0307stanbul", normalize(lower, "İstanbul"));
        // Both characters of the expansion keep the span of 'İ'.
        int[][] s = spans(lower, "İx");
        assertArrayEquals(new int[] {0, 1}, s[0]);
        assertArrayEquals(new int[] {0, 1}, s[1]);
        // With accents stripped, the dot above is gone before lowercasing.
        assertEquals("istanbul", normalize(BertNormalizer.uncased(), "İstanbul"));
    }

    @Test
    void spansAreUtf16IndicesOfTheOriginalEvenForCharactersOutsideTheBmp() {
        int[][] s = spans(BertNormalizer.uncased(), "😀A");
        assertArrayEquals(new int[] {0, 2}, s[0]);
        assertArrayEquals(new int[] {2, 3}, s[1]);
    }

    @Test
    void loneSurrogatesAreReadAsReplacementCharactersAndCleanedAway() {
        assertEquals("ab", normalize(BertNormalizer.uncased(), "a\uD800b\uDC00"));
        assertEquals("a\uFFFDb", normalize(new BertNormalizer(false, false, false, false), "a\uD800b"));
    }

    @Test
    void canonicalOrderingMovesSpansByPositionLikeHuggingFace() {
        // U+1D165 (class 216) and U+0301 (230) are in order; U+0301 then U+0355 (220) are not.
        NormalizedText t = BertNormalizer.uncased().normalize("X\u0355\uD834\uDD65", 0, 4);
        // U+0355 (Mn) is dropped; U+1D165 moved before it and took its position's span (1,2).
        assertEquals("x\uD834\uDD65", t.toString());
        assertEquals(1, t.originalStart(1));
        assertEquals(2, t.originalEnd(1));
    }
}
