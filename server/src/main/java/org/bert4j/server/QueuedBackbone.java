package org.bert4j.server;

import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.ModelInput;
import org.bert4j.engine.TokenBatch;
import org.bert4j.heads.Backbone;
import org.bert4j.heads.Tokens;
import org.bert4j.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The heads' backbone in the server: the served model's tokenizer at the heads' max length, and forward passes
 * through the {@link InferenceQueue}, so a {@code /predict} or {@code /ner} request rides in the same packed
 * forwards as concurrent {@code /embed} requests. {@code MultiTaskModel} runs on it unchanged.
 */
final class QueuedBackbone implements Backbone {

    private final InferenceQueue queue;
    private final ModelInput input;
    private final int hiddenSize;
    private final String reference;
    private final long timeoutNanos;

    QueuedBackbone(InferenceQueue queue, ModelInput input, int hiddenSize, String reference, long timeoutNanos) {
        this.queue = queue;
        this.input = input;
        this.hiddenSize = hiddenSize;
        this.reference = reference;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public Tokens tokenize(String text) {
        Encoding e = input.encode(text);
        return new Tokens(text, e.ids(), e.offsetStarts(), e.offsetEnds(), e.wordIds());
    }

    @Override
    public BertModelOutput forward(List<Tokens> batch) {
        List<int[]> ids = new ArrayList<>(batch.size());
        for (Tokens tokens : batch) {
            ids.add(tokens.ids());
        }
        try {
            // The request timeout counts from here: the heads' API has no deadline to pass down.
            return queue.forward(TokenBatch.ofIds(ids), System.nanoTime() + timeoutNanos);
        } catch (TimeoutException e) {
            throw ApiError.timeout("the request waited more than " + timeoutNanos / 1_000_000 + " ms for the model");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.timeout("interrupted while waiting for the model");
        }
    }

    @Override
    public String reference() {
        return reference;
    }

    @Override
    public int maxLength() {
        return input.maxLength();
    }
}
