package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WordPieceTest {
    private static final String[] VOCAB = {"[UNK]", "ba", "##na", "un", "##aff", "##able", "a", "##b", "😀", "##😀"};

    static Vocabulary vocabulary() {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < VOCAB.length; i++) {
            ids.put(VOCAB[i], i);
        }
        return Vocabulary.of(ids);
    }

    /** Ids then, for each token, its UTF-16 start and end. */
    static int[][] tokenize(String word, int maxChars) {
        WordPiece wp = WordPiece.of(vocabulary(), "[UNK]", "##", maxChars);
        NormalizedText t = NormalizedText.of(word, 0, word.length());
        TokenBuffer out = new TokenBuffer(4);
        wp.tokenize(t, 0, t.length(), 7, out);
        int[] ids = java.util.Arrays.copyOf(out.ids, out.size());
        int[] spans = new int[2 * out.size()];
        for (int i = 0; i < out.size(); i++) {
            spans[2 * i] = out.starts[i];
            spans[2 * i + 1] = out.ends[i];
        }
        return new int[][] {ids, spans};
    }

    @Test
    void takesTheLongestMatchFirstThenContinuationPieces() {
        assertArrayEquals(new int[] {1, 2, 2}, tokenize("banana", 100)[0]);
        assertArrayEquals(new int[] {0, 2, 2, 4, 4, 6}, tokenize("banana", 100)[1]);
        assertArrayEquals(new int[] {3, 4, 5}, tokenize("unaffable", 100)[0]);
    }

    @Test
    void anUnmatchablePieceMakesTheWholeWordOneUnknownToken() {
        assertArrayEquals(new int[] {0}, tokenize("bananax", 100)[0]);
        assertArrayEquals(new int[] {0, 7}, tokenize("bananax", 100)[1]);
        assertArrayEquals(new int[] {0}, tokenize("nana", 100)[0]); // "##na" cannot start a word
    }

    @Test
    void wordsLongerThanTheLimitInCodePointsAreUnknown() {
        assertArrayEquals(new int[] {6, 7, 7}, tokenize("abb", 3)[0]);
        assertArrayEquals(new int[] {0}, tokenize("abbb", 3)[0]);
        // Emoji count as one code point each, though they are two UTF-16 units.
        assertArrayEquals(new int[] {8, 9, 9}, tokenize("😀😀😀", 3)[0]);
        assertArrayEquals(new int[] {0, 2, 2, 4, 4, 6}, tokenize("😀😀😀", 3)[1]);
    }

    @Test
    void aMissingUnknownTokenIsAClearError() {
        Map<String, Integer> ids = Map.of("a", 0);
        assertThrows(IllegalArgumentException.class, () -> WordPiece.of(Vocabulary.of(ids), "[UNK]", "##", 100));
    }
}
