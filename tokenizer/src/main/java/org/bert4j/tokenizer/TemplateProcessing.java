package org.bert4j.tokenizer;

import java.util.List;

/**
 * The post-processor that wraps sequences in special tokens (Hugging Face's {@code TemplateProcessing}):
 * for BERT {@code [CLS] A [SEP]} and {@code [CLS] A [SEP] B [SEP]}, B's tokens with type id 1.
 *
 * @param single the template of a single sequence
 * @param pair   the template of a pair of sequences
 */
record TemplateProcessing(List<Piece> single, List<Piece> pair) {

    /** One element of a template: a sequence (A or B) or a special token, each with its type id. */
    sealed interface Piece permits Sequence, Special {
        int typeId();
    }

    /**
     * The tokens of sequence A ({@code second == false}) or B.
     *
     * @param second whether this is sequence B
     * @param typeId the type id its tokens get
     */
    record Sequence(boolean second, int typeId) implements Piece {}

    /**
     * A special token (possibly several ids, as Hugging Face allows).
     *
     * @param ids    the ids it inserts
     * @param typeId the type id they get
     */
    record Special(int[] ids, int typeId) implements Piece {}

    TemplateProcessing {
        single = List.copyOf(single);
        pair = List.copyOf(pair);
    }

    /** BERT's templates ({@code BertProcessing} in Hugging Face). */
    static TemplateProcessing bert(int clsId, int sepId) {
        Special cls = new Special(new int[] {clsId}, 0);
        return new TemplateProcessing(
                List.of(cls, new Sequence(false, 0), new Special(new int[] {sepId}, 0)),
                List.of(cls, new Sequence(false, 0), new Special(new int[] {sepId}, 0),
                        new Sequence(true, 1), new Special(new int[] {sepId}, 1)));
    }

    /** No special tokens at all (a tokenizer.json without a post-processor). */
    static TemplateProcessing none() {
        return new TemplateProcessing(List.of(new Sequence(false, 0)),
                List.of(new Sequence(false, 0), new Sequence(true, 1)));
    }

    List<Piece> template(boolean isPair) {
        return isPair ? pair : single;
    }

    /** How many special tokens the template adds around one sequence or a pair. */
    int addedTokens(boolean isPair) {
        int n = 0;
        for (Piece p : template(isPair)) {
            if (p instanceof Special s) {
                n += s.ids().length;
            }
        }
        return n;
    }
}
