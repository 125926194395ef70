package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TruncatorTest {

    @Test
    void longestFirstCutsTheLongerSequenceAsHuggingFaceDoes() {
        // Hugging Face's own table (truncation.rs), max_length 7, sequences of 0, 2, 4 and 8 tokens.
        int[] lengths = {0, 2, 4, 8};
        int[][][] expected = {
            {{0, 0}, {0, 2}, {0, 4}, {0, 7}},
            {{2, 0}, {2, 2}, {2, 4}, {2, 5}},
            {{4, 0}, {4, 2}, {3, 4}, {3, 4}},
            {{7, 0}, {5, 2}, {4, 3}, {3, 4}},
        };
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                assertArrayEquals(expected[a][b],
                        Truncator.keptLengths(lengths[a], lengths[b], 7, Truncation.LONGEST_FIRST),
                        lengths[a] + " + " + lengths[b]);
            }
        }
    }

    @Test
    void aSingleSequenceIsCutToTheBudget() {
        assertArrayEquals(new int[] {5, 0}, Truncator.keptLengths(9, -1, 5, Truncation.LONGEST_FIRST));
        assertArrayEquals(new int[] {5, 0}, Truncator.keptLengths(9, -1, 5, Truncation.ONLY_FIRST));
        assertArrayEquals(new int[] {3, 0}, Truncator.keptLengths(3, -1, 5, Truncation.ONLY_SECOND));
        assertArrayEquals(new int[] {9, 0}, Truncator.keptLengths(9, -1, 5, Truncation.NONE));
    }

    @Test
    void onlyFirstAndOnlySecondRefuseWhatTheyCannotFit() {
        assertArrayEquals(new int[] {2, 4}, Truncator.keptLengths(5, 4, 6, Truncation.ONLY_FIRST));
        assertArrayEquals(new int[] {5, 1}, Truncator.keptLengths(5, 4, 6, Truncation.ONLY_SECOND));
        assertThrows(IllegalArgumentException.class, () -> Truncator.keptLengths(2, 9, 6, Truncation.ONLY_FIRST));
        assertThrows(IllegalArgumentException.class, () -> Truncator.keptLengths(9, 2, 6, Truncation.ONLY_SECOND));
        assertThrows(IllegalArgumentException.class, () -> Truncator.keptLengths(9, -1, 6, Truncation.ONLY_SECOND));
    }
}
