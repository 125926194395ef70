package org.bert4j.tokenizer;

/**
 * The WordPiece model (Hugging Face's {@code models::wordpiece}): each word becomes the longest vocabulary
 * entry it starts with, then the longest "##"-prefixed entry the rest starts with, and so on.
 *
 * <p>This is the plain greedy longest-match-first algorithm of Wu et al. 2016, quadratic in the word length,
 * kept as the reference that {@link FastWordPiece} (linear, Song et al. 2021) is tested against. A word
 * longer than {@code maxInputCharsPerWord} code points, or with any piece no entry matches, becomes a
 * single unknown token spanning the whole word.
 *
 * @param vocabulary           the tokens and their ids
 * @param unkToken             the unknown token, e.g. "[UNK]"
 * @param unkId                its id
 * @param continuingPrefix     the prefix of word-continuing pieces, e.g. "##"
 * @param maxInputCharsPerWord longer words become the unknown token (100 in BERT)
 */
record WordPiece(Vocabulary vocabulary, String unkToken, int unkId, String continuingPrefix,
                 int maxInputCharsPerWord) {

    static WordPiece of(Vocabulary vocabulary, String unkToken, String continuingPrefix, int maxInputCharsPerWord) {
        int unkId = vocabulary.id(unkToken);
        if (unkId < 0) {
            throw new IllegalArgumentException("WordPiece: the unknown token '" + unkToken + "' is not in the vocabulary");
        }
        if (maxInputCharsPerWord < 0) {
            throw new IllegalArgumentException("WordPiece: max_input_chars_per_word must be >= 0, got " + maxInputCharsPerWord);
        }
        return new WordPiece(vocabulary, unkToken, unkId, continuingPrefix, maxInputCharsPerWord);
    }

    /**
     * Tokenizes the word {@code text[from, to)} (normalized code points) into {@code out}, each token's
     * offsets mapped back to the original string.
     */
    void tokenize(NormalizedText text, int from, int to, int word, TokenBuffer out) {
        if (to - from > maxInputCharsPerWord) {
            out.add(unkId, text.originalStart(from), text.originalEnd(to - 1), word);
            return;
        }
        int mark = out.size();
        int start = from;
        while (start < to) {
            int end = to;
            int id = -1;
            while (start < end) {
                String piece = text.substring(start, end);
                id = vocabulary.id(start > from ? continuingPrefix + piece : piece);
                if (id >= 0) {
                    break;
                }
                end--;
            }
            if (id < 0) {
                out.truncate(mark);
                out.add(unkId, text.originalStart(from), text.originalEnd(to - 1), word);
                return;
            }
            out.add(id, text.originalStart(start), text.originalEnd(end - 1), word);
            start = end;
        }
    }
}
