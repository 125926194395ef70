package org.bert4j.tokenizer;

import java.util.Arrays;

/**
 * BERT's pre-tokenization (Hugging Face's {@code BertPreTokenizer}): split the normalized text on
 * whitespace, which is dropped, and make every punctuation character a word of its own.
 *
 * <p>Punctuation is ASCII 33–47, 58–64, 91–96, 123–126 and every Unicode P* category, so "don't" is the
 * three words "don", "'", "t" and "$3.50" is "$", "3", ".", "50".
 */
final class BertPreTokenizer {
    private BertPreTokenizer() {}

    /**
     * The words of {@code text} as {@code [start0, end0, start1, end1, ...]}, indices into the normalized
     * code points.
     */
    static int[] split(NormalizedText text) {
        int[] words = new int[16];
        int n = 0;
        int wordStart = -1;
        for (int i = 0; i < text.length(); i++) {
            int c = text.codePointAt(i);
            boolean space = BertCharacters.isWhitespace(c);
            boolean punct = !space && BertCharacters.isPunctuation(c);
            if (space || punct) {
                if (wordStart >= 0) {
                    words = add(words, n, wordStart, i);
                    n += 2;
                    wordStart = -1;
                }
                if (punct) {
                    words = add(words, n, i, i + 1);
                    n += 2;
                }
            } else if (wordStart < 0) {
                wordStart = i;
            }
        }
        if (wordStart >= 0) {
            words = add(words, n, wordStart, text.length());
            n += 2;
        }
        return Arrays.copyOf(words, n);
    }

    private static int[] add(int[] words, int n, int start, int end) {
        if (n + 2 > words.length) {
            words = Arrays.copyOf(words, words.length * 2);
        }
        words[n] = start;
        words[n + 1] = end;
        return words;
    }
}
