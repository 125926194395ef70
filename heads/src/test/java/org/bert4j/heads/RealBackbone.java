package org.bert4j.heads;

import java.io.IOException;
import java.io.UncheckedIOException;

/** One default-model backbone shared by the tests of a JVM: loading it once keeps the module's tests fast. */
public final class RealBackbone {

    /** The max length the tests use: the news texts (headline + description) fit, and attention stays cheap. */
    public static final int MAX_LENGTH = 128;

    private static BertBackbone shared;

    private RealBackbone() {
    }

    /** The shared all-MiniLM-L6-v2 backbone (converted into the build's model cache on first use). */
    public static synchronized BertBackbone get() {
        if (shared == null) {
            try {
                shared = BertBackbone.defaultModel(MAX_LENGTH);
            } catch (IOException e) {
                throw new UncheckedIOException("could not open the default model", e);
            }
        }
        return shared;
    }

    /** A backbone that cannot be closed by a test's model: the shared one outlives them all. */
    public static Backbone unclosable() {
        BertBackbone backbone = get();
        return new Backbone() {
            @Override
            public int hiddenSize() {
                return backbone.hiddenSize();
            }

            @Override
            public Tokens tokenize(String text) {
                return backbone.tokenize(text);
            }

            @Override
            public org.bert4j.engine.BertModelOutput forward(java.util.List<Tokens> batch) {
                return backbone.forward(batch);
            }

            @Override
            public String reference() {
                return backbone.reference();
            }

            @Override
            public String featureKey() {
                return backbone.featureKey();
            }

            @Override
            public int maxLength() {
                return backbone.maxLength();
            }
        };
    }
}
