package org.bert4j.models;

import org.bert4j.convert.BundledModels;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The default model, all-MiniLM-L6-v2, for applications that bring no model of their own: this artifact's
 * dependencies carry its ONNX file, converted into a model folder in the cache on first use
 * ({@link BundledModels#cacheRoot()}), e.g. {@code SentenceEncoder.load(DefaultModel.folder())}.
 */
public final class DefaultModel {
    private DefaultModel() {}

    /** The model's name, as {@code bert4j convert} and saved heads' references ({@code bundled:NAME}) spell it. */
    public static final String NAME = BundledModels.DEFAULT_MODEL;

    /** The model folder (config.json, model.safetensors, tokenizer, sentence-transformers modules). */
    public static Path folder() throws IOException {
        return BundledModels.defaultModel();
    }
}
