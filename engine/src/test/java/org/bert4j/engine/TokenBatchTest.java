package org.bert4j.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenBatchTest {

    @Test
    void packsSequencesEndToEndWithoutPadding() {
        TokenBatch b = TokenBatch.of(new int[][] {{101, 7, 102}, {101, 102}}, new int[][] {{0, 0, 0}, {0, 1}});
        assertArrayEquals(new int[] {101, 7, 102, 101, 102}, b.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1}, b.typeIds());
        assertArrayEquals(new int[] {0, 3}, b.sequenceStarts());
        assertArrayEquals(new int[] {3, 2}, b.sequenceLengths());
        assertEquals(5, b.totalTokens());
        assertEquals(3, b.maxLength());
    }

    @Test
    void sliceKeepsTheChosenSequences() {
        TokenBatch b = TokenBatch.ofIds(List.of(new int[] {1, 2}, new int[] {3}, new int[] {4, 5, 6}));
        TokenBatch s = b.slice(1, 3);
        assertArrayEquals(new int[] {3, 4, 5, 6}, s.ids());
        assertArrayEquals(new int[] {0, 1}, s.sequenceStarts());
        assertArrayEquals(new int[] {4, 5, 6}, s.sequenceIds(1));
    }

    @Test
    void emptySequencesAndEmptyBatchesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TokenBatch.of(new int[][] {{1}, {}}, null));
        assertThrows(IllegalArgumentException.class, () -> TokenBatch.of(new int[0][], null));
        assertThrows(IllegalArgumentException.class, () -> TokenBatch.of(new int[][] {{1, 2}}, new int[][] {{0}}));
    }
}
