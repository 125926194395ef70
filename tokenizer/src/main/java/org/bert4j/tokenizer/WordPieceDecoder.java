package org.bert4j.tokenizer;

import java.util.List;

/**
 * Turns WordPiece tokens back into text (Hugging Face's {@code decoders::WordPiece}): a token with the
 * "##" prefix is glued to the previous one, any other is preceded by a space; with {@code cleanup}, the
 * space before punctuation and contractions ("hello ." → "hello.", "do n't" → "don't") goes too.
 *
 * @param prefix  the continuing-subword prefix, "##"
 * @param cleanup whether to remove tokenization artifacts, token by token as Hugging Face does
 */
record WordPieceDecoder(String prefix, boolean cleanup) {

    String decode(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (i != 0) {
                token = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
            }
            out.append(cleanup ? cleanup(token) : token);
        }
        return out.toString();
    }

    private static String cleanup(String token) {
        return token.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" do not", " don't")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }
}
