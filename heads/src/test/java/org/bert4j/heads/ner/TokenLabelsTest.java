package org.bert4j.heads.ner;

import org.bert4j.heads.LabelVocabulary;
import org.bert4j.heads.data.EntitySpan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.bert4j.heads.ner.TokenLabels.IGNORE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class TokenLabelsTest {

    // "Maury Wills joined the Dodgers." as [CLS] maury wills joined the dodger ##s . [SEP]
    private static final int[] STARTS = {0, 0, 6, 12, 19, 23, 29, 30, 0};
    private static final int[] ENDS = {0, 5, 11, 18, 22, 29, 30, 31, 0};
    private static final int[] WORDS = {-1, 0, 1, 2, 3, 4, 4, 5, -1};
    private static final List<EntitySpan> SPANS = List.of(new EntitySpan(0, 11, "PER"), new EntitySpan(23, 30, "ORG"));

    @Test
    void bioLabelsGoOnFirstSubTokensAndTheRestAreIgnored() {
        LabelVocabulary labels = new LabelVocabulary(List.of("O", "B-ORG", "I-ORG", "B-PER", "I-PER"));
        int[] expected = {IGNORE, 3, 4, 0, 0, 1, IGNORE, 0, IGNORE};
        assertArrayEquals(expected, TokenLabels.of(SPANS, STARTS, ENDS, WORDS, TagScheme.BIO, labels));
    }

    @Test
    void labellingSubTokensGivesThemTheirWordsInsideTag() {
        LabelVocabulary labels = new LabelVocabulary(List.of("O", "B-ORG", "I-ORG", "B-PER", "I-PER"));
        // "dodger ##s": B-ORG then I-ORG; special tokens stay ignored
        int[] expected = {IGNORE, 3, 4, 0, 0, 1, 2, 0, IGNORE};
        assertArrayEquals(expected, TokenLabels.of(SPANS, STARTS, ENDS, WORDS, TagScheme.BIO, labels, true));
    }

    @Test
    void ioLabelsUseOnlyInsideTags() {
        LabelVocabulary labels = new LabelVocabulary(List.of("O", "I-ORG", "I-PER"));
        int[] expected = {IGNORE, 2, 2, 0, 0, 1, IGNORE, 0, IGNORE};
        assertArrayEquals(expected, TokenLabels.of(SPANS, STARTS, ENDS, WORDS, TagScheme.IO, labels));
    }

    @Test
    void adjacentEntitiesOfOneTypeEachGetABegin() {
        // "Paris London": two CITY spans side by side
        LabelVocabulary labels = new LabelVocabulary(List.of("O", "B-CITY", "I-CITY"));
        int[] got = TokenLabels.of(List.of(new EntitySpan(0, 5, "CITY"), new EntitySpan(6, 12, "CITY")),
                new int[] {0, 0, 6, 0}, new int[] {0, 5, 12, 0}, new int[] {-1, 0, 1, -1}, TagScheme.BIO, labels);
        assertArrayEquals(new int[] {IGNORE, 1, 1, IGNORE}, got);
    }

    @Test
    void labelListsPutOutsideFirstAndTypesInOrder() {
        java.util.TreeSet<String> types = new java.util.TreeSet<>(List.of("PER", "LOC"));
        org.junit.jupiter.api.Assertions.assertEquals(List.of("O", "B-LOC", "I-LOC", "B-PER", "I-PER"),
                TagScheme.BIO.labels(types));
        org.junit.jupiter.api.Assertions.assertEquals(List.of("O", "I-LOC", "I-PER"), TagScheme.IO.labels(types));
    }
}
