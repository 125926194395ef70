package org.bert4j.server;

import org.bert4j.heads.crossencoder.CrossEncoder;
import org.bert4j.heads.crossencoder.ScoreActivation;
import org.bert4j.heads.crossencoder.TextPair;
import org.bert4j.tokenizer.EncodeOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code /rerank} on a cross-encoder (a converted one-label BertForSequenceClassification, such as the ms-marco
 * MiniLM models): each text is scored as the pair (query, text), the logit through a sigmoid as TEI returns it, or
 * raw with {@code raw_scores}. It runs the cross-encoder's own model, not the embedding queue.
 */
final class CrossEncoderReranker implements Reranker, AutoCloseable {

    private final CrossEncoder encoder;

    CrossEncoderReranker(CrossEncoder encoder) {
        this.encoder = encoder;
    }

    @Override
    public float[] scores(String query, List<String> texts, boolean truncate, boolean rawScores, long deadlineNanos) {
        List<TextPair> pairs = new ArrayList<>(texts.size());
        EncodeOptions whole = EncodeOptions.defaults();
        for (int i = 0; i < texts.size(); i++) {
            if (!truncate) {
                int length = encoder.model().tokenizer().encodePair(query, texts.get(i), whole).ids().length;
                if (length > encoder.maxLength()) {
                    throw ApiError.validation("input validation error: texts[" + i + "] with the query is " + length
                            + " tokens, more than the model's " + encoder.maxLength() + " (set truncate to true)");
                }
            }
            pairs.add(new TextPair(query, texts.get(i)));
        }
        if (System.nanoTime() > deadlineNanos) {
            throw ApiError.timeout("the request waited longer than the server's timeout");
        }
        double[] logits = encoder.predict(pairs, ScoreActivation.IDENTITY);
        float[] scores = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            scores[i] = (float) (rawScores ? logits[i] : 1 / (1 + Math.exp(-logits[i])));
        }
        return scores;
    }

    @Override
    public void close() {
        encoder.close();
    }
}
