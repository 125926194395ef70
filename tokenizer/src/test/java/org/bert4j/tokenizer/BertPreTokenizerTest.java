package org.bert4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class BertPreTokenizerTest {

    private static String[] words(String text) {
        NormalizedText t = NormalizedText.of(text, 0, text.length());
        int[] w = BertPreTokenizer.split(t);
        String[] out = new String[w.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.substring(w[2 * i], w[2 * i + 1]);
        }
        return out;
    }

    @Test
    void splitsOnWhitespaceAndMakesEachPunctuationCharacterAWord() {
        assertArrayEquals(new String[] {"Hey", "friend", "!", "How", "are", "you", "?", "!", "?"},
                words("Hey friend!     How are you?!?"));
        assertArrayEquals(new String[] {"don", "'", "t", "$", "3", ".", "50"}, words("don't $3.50"));
    }

    @Test
    void unicodePunctuationAndAsciiSymbolsAreIsolatedButOtherSymbolsAreNot() {
        // '«' and '—' are Unicode punctuation; '^' and '`' are ASCII punctuation though Unicode calls them
        // symbols; '€' and '😀' are symbols, so part of the word.
        assertArrayEquals(new String[] {"«", "a", "—", "b", "^", "c", "`", "5€😀"}, words("«a—b^c`5€😀"));
    }

    @Test
    void nothingButSpacesGivesNoWords() {
        assertArrayEquals(new String[0], words(" \t\n\u00A0\u3000"));
        assertArrayEquals(new String[0], words(""));
    }
}
