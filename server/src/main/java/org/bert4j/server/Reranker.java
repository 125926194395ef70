package org.bert4j.server;

import java.util.List;

/**
 * Scores how well each text answers a query, for {@code POST /rerank}: a cross-encoder reading each
 * {@code [CLS] query [SEP] text [SEP]} pair.
 *
 * <p>A seam: the server has none by default, and {@code /rerank} then answers TEI's error for a model that is not
 * a re-ranker (424, {@code backend}). A cross-encoder plugs in by implementing this one method, e.g. over
 * {@code CrossEncoder.predict}.
 */
public interface Reranker {

    /**
     * One score per text, in the texts' order: a probability (sigmoid of the logit) unless {@code rawScores}, then
     * the logit itself, as TEI's {@code raw_scores}. With {@code truncate} false, a pair longer than the model takes
     * is an {@link ApiError#validation} error; with true it is cut, longest text first.
     */
    float[] scores(String query, List<String> texts, boolean truncate, boolean rawScores, long deadlineNanos);
}
