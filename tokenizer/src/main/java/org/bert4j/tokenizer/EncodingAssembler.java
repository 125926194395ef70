package org.bert4j.tokenizer;

import java.util.Arrays;

/**
 * Turns the tokens of one or two sequences into an {@link Encoding}: truncation, then the template's
 * special tokens, then padding, in Hugging Face's order.
 */
final class EncodingAssembler {
    private final TemplateProcessing template;
    private final Vocabulary vocabulary;
    private final int padId;
    private final int padTypeId;
    private final int addedSingle;
    private final int addedPair;

    EncodingAssembler(TemplateProcessing template, Vocabulary vocabulary, int padId, int padTypeId) {
        this.template = template;
        this.addedSingle = template.addedTokens(false);
        this.addedPair = template.addedTokens(true);
        this.vocabulary = vocabulary;
        this.padId = padId;
        this.padTypeId = padTypeId;
    }

    /** How many special tokens encoding one sequence (or a pair) adds. */
    int addedTokens(boolean pair, boolean addSpecialTokens) {
        return addSpecialTokens ? (pair ? addedPair : addedSingle) : 0;
    }

    /** The unpadded encoding of {@code first} (and {@code second}, null for a single text). */
    Encoding assemble(TokenBuffer first, TokenBuffer second, EncodeOptions options, int maxLength) {
        boolean pair = second != null;
        int[] kept = {first.size(), pair ? second.size() : 0};
        if (options.truncation() != Truncation.NONE) {
            int added = addedTokens(pair, options.addSpecialTokens());
            if (maxLength < added) {
                throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room: the "
                        + added + " special tokens alone exceed it");
            }
            kept = Truncator.keptLengths(first.size(), pair ? second.size() : -1, maxLength - added,
                    options.truncation());
        }
        int length = kept[0] + kept[1] + addedTokens(pair, options.addSpecialTokens());
        int[] ids = new int[length];
        int[] typeIds = new int[length];
        int[] attention = new int[length];
        int[] special = new int[length];
        int[] starts = new int[length];
        int[] ends = new int[length];
        int[] words = new int[length];
        int[] sequences = new int[length];
        int n = 0;
        for (TemplateProcessing.Piece piece : template.template(pair)) {
            // instanceof rather than a pattern switch: that switch's bootstrap generates a class on first use,
            // several milliseconds of every command-line start.
            if (piece instanceof TemplateProcessing.Sequence s) {
                TokenBuffer src = s.second() ? second : first;
                int count = s.second() ? kept[1] : kept[0];
                System.arraycopy(src.ids, 0, ids, n, count);
                System.arraycopy(src.starts, 0, starts, n, count);
                System.arraycopy(src.ends, 0, ends, n, count);
                System.arraycopy(src.words, 0, words, n, count);
                Arrays.fill(typeIds, n, n + count, s.typeId());
                Arrays.fill(sequences, n, n + count, s.second() ? 1 : 0);
                n += count;
            } else if (piece instanceof TemplateProcessing.Special sp && options.addSpecialTokens()) {
                for (int id : sp.ids()) {
                    ids[n] = id;
                    typeIds[n] = sp.typeId();
                    special[n] = 1;
                    words[n] = -1;
                    sequences[n] = -1;
                    n++;
                }
            }
        }
        Arrays.fill(attention, 1);
        return new Encoding(ids, typeIds, attention, special, starts, ends, words, sequences, tokens(ids));
    }

    private String[] tokens(int[] ids) {
        String[] tokens = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tokens[i] = vocabulary.token(ids[i]); // shared strings: no allocation per token
        }
        return tokens;
    }

    /** The length {@code length} rounded up to a multiple of {@code multiple} (0 = unchanged). */
    static int roundUp(int length, int multiple) {
        return multiple > 0 && length % multiple != 0 ? length + multiple - length % multiple : length;
    }

    /** {@code e} padded at the right to {@code target} tokens (unchanged if already that long). */
    Encoding pad(Encoding e, int target) {
        int n = e.length();
        if (n >= target) {
            return e;
        }
        if (padId < 0) {
            throw new IllegalStateException("padding requested, but this tokenizer has no padding token");
        }
        int[] ids = Arrays.copyOf(e.ids(), target);
        int[] typeIds = Arrays.copyOf(e.typeIds(), target);
        int[] attention = Arrays.copyOf(e.attentionMask(), target);
        int[] special = Arrays.copyOf(e.specialTokensMask(), target);
        int[] words = Arrays.copyOf(e.wordIds(), target);
        int[] sequences = Arrays.copyOf(e.sequenceIds(), target);
        String[] tokens = Arrays.copyOf(e.tokens(), target);
        Arrays.fill(ids, n, target, padId);
        Arrays.fill(typeIds, n, target, padTypeId);
        Arrays.fill(special, n, target, 1);
        Arrays.fill(words, n, target, -1);
        Arrays.fill(sequences, n, target, -1);
        Arrays.fill(tokens, n, target, vocabulary.token(padId));
        return new Encoding(ids, typeIds, attention, special, Arrays.copyOf(e.offsetStarts(), target),
                Arrays.copyOf(e.offsetEnds(), target), words, sequences, tokens);
    }
}
