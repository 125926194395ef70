package org.bert4j.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * The added tokens ("[CLS]", "[MASK]"...) that Hugging Face finds in the raw text before normalizing it
 * (its {@code AddedVocabulary}): "fill the [MASK] in" keeps "[MASK]" as one token, id 103.
 *
 * <p>Matches are leftmost-longest and case-sensitive, on the original text; the text between matches is
 * normalized and pre-tokenized as usual. Only tokens marked {@code normalized: false} with no
 * lstrip/rstrip/single_word flag are supported (the only kind BERT tokenizers have).
 */
final class AddedTokens {

    /** One added token. */
    record Token(String content, int id, boolean special) {}

    private final List<Token> tokens;
    /** By first UTF-16 unit: the tokens starting with it, longest first. */
    private final Token[][] byFirstChar = new Token[65536][];
    /** The same as bits, for the check done on every character of every text. */
    private final long[] firstChars = new long[1024];

    AddedTokens(List<Token> tokens) {
        this.tokens = List.copyOf(tokens);
        for (Token t : this.tokens) {
            if (t.content().isEmpty()) {
                continue;
            }
            char first = t.content().charAt(0);
            Token[] bucket = byFirstChar[first] == null ? new Token[0] : byFirstChar[first];
            // Insert keeping the bucket longest first (among equal lengths, in list order); buckets hold a
            // token or two, so this is a plain loop rather than a sort.
            int at = bucket.length;
            while (at > 0 && bucket[at - 1].content().length() < t.content().length()) {
                at--;
            }
            Token[] grown = new Token[bucket.length + 1];
            System.arraycopy(bucket, 0, grown, 0, at);
            grown[at] = t;
            System.arraycopy(bucket, at, grown, at + 1, bucket.length - at);
            byFirstChar[first] = grown;
            firstChars[first >>> 6] |= 1L << first;
        }
    }

    static AddedTokens none() {
        return new AddedTokens(List.of());
    }

    List<Token> tokens() {
        return tokens;
    }

    boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** Whether some added token starts with the UTF-16 unit {@code c}. */
    boolean mayStartWith(char c) {
        return (firstChars[c >>> 6] & (1L << c)) != 0;
    }

    /** The longest added token that occurs in {@code text} at {@code index} and ends by {@code limit}, or null. */
    Token matchAt(String text, int index, int limit) {
        Token[] candidates = byFirstChar[text.charAt(index)];
        if (candidates == null) {
            return null;
        }
        for (Token t : candidates) {
            int len = t.content().length();
            if (index + len <= limit && text.startsWith(t.content(), index)) {
                return t;
            }
        }
        return null;
    }

    /** Whether {@code id} belongs to a token marked special (decode can skip those). */
    boolean isSpecialId(int id) {
        for (Token t : tokens) {
            if (t.id() == id && t.special()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return Arrays.toString(tokens.stream().map(Token::content).toArray());
    }
}
