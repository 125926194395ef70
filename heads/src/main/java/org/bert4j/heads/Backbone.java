package org.bert4j.heads;

import org.bert4j.engine.BertModelOutput;

import java.util.List;

/**
 * The shared encoder under the heads: it tokenises a text (with offsets and word ids) and turns a batch of
 * tokenised texts into the last hidden state of every token. Implementations must be safe to share across threads.
 */
public interface Backbone extends AutoCloseable {

    /** The width of one token vector: every head's input width must equal it. */
    int hiddenSize();

    /** Tokenises one text with special tokens, truncated to the backbone's maximum length. */
    Tokens tokenize(String text);

    /** The last hidden states of a batch, packed: sequence i's rows follow {@code batch.get(i)}'s tokens. */
    BertModelOutput forward(List<Tokens> batch);

    /**
     * How a saved model finds this backbone again: {@code bundled:<name>} for a model the library ships, else a
     * model folder path. Also names the backbone in feature-cache keys.
     */
    String reference();

    /**
     * What this backbone's outputs depend on, for feature-cache keys: by default its {@link #reference()}. A model
     * folder's reference is only its path, so {@link BertBackbone} adds its files' sizes and modification times: a
     * model re-converted into the same folder must not be served the old model's cached features.
     */
    default String featureKey() {
        return reference();
    }

    /** The maximum number of tokens per text (longer texts are truncated). */
    int maxLength();

    /** Releases the backbone's resources; the default has none. */
    @Override
    default void close() {
    }
}
