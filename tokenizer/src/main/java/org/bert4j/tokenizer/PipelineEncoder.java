package org.bert4j.tokenizer;

/**
 * The straightforward pipeline, one stage after another as Hugging Face runs them: added tokens found in
 * the raw text, then {@link BertNormalizer} → {@link BertPreTokenizer} → {@link WordPiece} on the text
 * between them.
 *
 * <p>Every stage materializes its output, which makes this the easy one to read and check; {@link
 * FusedEncoder} does the same work in a single pass and is tested against it.
 */
final class PipelineEncoder implements SequenceEncoder {
    private final AddedTokens addedTokens;
    private final BertNormalizer normalizer;
    private final WordPiece model;

    PipelineEncoder(AddedTokens addedTokens, BertNormalizer normalizer, WordPiece model) {
        this.addedTokens = addedTokens;
        this.normalizer = normalizer;
        this.model = model;
    }

    @Override
    public void encode(String text, TokenBuffer out, int limit) {
        int word = 0;
        int segmentStart = 0;
        int i = 0;
        while (i < text.length()) {
            AddedTokens.Token added = addedTokens.mayStartWith(text.charAt(i))
                    ? addedTokens.matchAt(text, i, text.length()) : null;
            if (added == null) {
                i++;
                continue;
            }
            word = encodeSegment(text, segmentStart, i, word, out, limit);
            if (out.size() >= limit) {
                return;
            }
            int end = i + added.content().length();
            out.add(added.id(), i, end, word++);
            i = end;
            segmentStart = end;
        }
        encodeSegment(text, segmentStart, text.length(), word, out, limit);
    }

    /** Tokenizes {@code text[from, to)}, which holds no added token; returns the next word index. */
    private int encodeSegment(String text, int from, int to, int word, TokenBuffer out, int limit) {
        if (from == to) {
            return word;
        }
        NormalizedText normalized = normalizer.normalize(text, from, to);
        int[] words = BertPreTokenizer.split(normalized);
        for (int w = 0; w < words.length && out.size() < limit; w += 2) {
            model.tokenize(normalized, words[w], words[w + 1], word++, out);
        }
        return word;
    }
}
