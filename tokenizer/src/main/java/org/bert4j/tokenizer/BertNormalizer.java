package org.bert4j.tokenizer;

/**
 * BERT's text normalization (Hugging Face's {@code BertNormalizer}): clean the text, space out CJK
 * ideographs, strip accents, lowercase.
 *
 * <p>The steps run in Hugging Face's order, each over the whole text:
 * <ol>
 *   <li>{@code cleanText}: delete U+0000, U+FFFD and control/format/unassigned/private-use characters; turn
 *       every whitespace character (tab, newline, NBSP, ideographic space...) into a space;</li>
 *   <li>{@code handleChineseChars}: put spaces around every CJK ideograph, so each becomes its own word;</li>
 *   <li>{@code stripAccents}: canonical decomposition (NFD), then delete the non-spacing marks (Mn);</li>
 *   <li>{@code lowercase}: Unicode lowercasing, character by character.</li>
 * </ol>
 *
 * @param cleanText          delete control characters and turn whitespace into spaces
 * @param handleChineseChars put spaces around CJK ideographs
 * @param stripAccents       NFD, then drop non-spacing marks (Hugging Face: when unset, follows lowercase)
 * @param lowercase          lowercase the text
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents,
                             boolean lowercase) {

    private static final int[] NOTHING = {};
    private static final int[] SPACE = {' '};

    /** The normalizer of uncased BERT models (bert-base-uncased, MiniLM, BGE, E5): every step on. */
    public static BertNormalizer uncased() {
        return new BertNormalizer(true, true, true, true);
    }

    /** The normalizer of cased BERT models: clean text and space CJK, but keep case and accents. */
    public static BertNormalizer cased() {
        return new BertNormalizer(true, true, false, false);
    }

    /** Normalizes {@code original[from, to)}, keeping each normalized character's span in the original. */
    NormalizedText normalize(String original, int from, int to) {
        NormalizedText text = NormalizedText.of(original, from, to);
        if (cleanText) {
            text = text.flatMap(BertNormalizer::clean);
        }
        if (handleChineseChars) {
            text = text.flatMap(c -> BertCharacters.isChineseChar(c) ? new int[] {' ', c, ' '} : new int[] {c});
        }
        if (stripAccents) {
            text = text.nfd().filter(c -> !BertCharacters.isNonspacingMark(c));
        }
        if (lowercase) {
            text = text.flatMap(BertCharacters::lowercase);
        }
        return text;
    }

    private static int[] clean(int c) {
        if (c == 0 || c == 0xFFFD || BertCharacters.isControl(c)) {
            return NOTHING;
        }
        return BertCharacters.isWhitespace(c) ? SPACE : new int[] {c};
    }

    /**
     * What normalization makes of the code point {@code c} on its own: the same steps as {@link #normalize}
     * without the spans (the per-character tables of the fast path are built from this; a test checks the
     * two agree on every code point).
     */
    int[] normalizeOne(int c) {
        int[] out = {c};
        if (cleanText) {
            out = clean(c);
        }
        if (handleChineseChars && out.length == 1 && BertCharacters.isChineseChar(out[0])) {
            out = new int[] {' ', out[0], ' '};
        }
        if (stripAccents) {
            out = flatMap(out, BertCharacters::nfd);
            out = flatMap(out, x -> BertCharacters.isNonspacingMark(x) ? NOTHING : new int[] {x});
        }
        if (lowercase) {
            out = flatMap(out, BertCharacters::lowercase);
        }
        return out;
    }

    private static int[] flatMap(int[] in, java.util.function.IntFunction<int[]> f) {
        if (in.length == 1) {
            return f.apply(in[0]);
        }
        int[] out = new int[0];
        for (int c : in) {
            int[] piece = f.apply(c);
            int n = out.length;
            out = java.util.Arrays.copyOf(out, n + piece.length);
            System.arraycopy(piece, 0, out, n, piece.length);
        }
        return out;
    }
}
