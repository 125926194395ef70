package org.bert4j.heads;

import org.bert4j.engine.ModelInput;
import org.bert4j.convert.BundledModels;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.TokenBatch;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.Encoding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real backbone: a BERT model folder's tokenizer and encoder. Texts longer than {@code maxLength} tokens
 * (special tokens included) are truncated, as Hugging Face's tokenizer does with {@code truncation=True}.
 */
public final class BertBackbone implements Backbone {

    /** The prefix of references to models the library ships ({@code bundled:all-MiniLM-L6-v2}). */
    public static final String BUNDLED = "bundled:";

    private final BertModel model;
    private final ModelInput input;
    private final String reference;
    private final String featureKey;

    private BertBackbone(BertModel model, ModelInput input, String reference, String featureKey) {
        this.model = model;
        this.input = input;
        this.reference = reference;
        this.featureKey = featureKey;
    }

    /** The backbone of a model folder (tokenizer + model.safetensors + config.json). */
    public static BertBackbone open(Path modelDir, int maxLength, EngineOptions options) throws IOException {
        return load(modelDir, modelDir.toAbsolutePath().normalize().toString(), maxLength, options);
    }

    /** A model the library ships, by name (converted into the cache on first use). */
    public static BertBackbone bundled(String name, int maxLength, EngineOptions options) throws IOException {
        // The cache folder is re-converted when the bundled model changes: its files key the features too.
        return load(BundledModels.ensure(name), BUNDLED + name, maxLength, options);
    }

    /**
     * The model first, then the tokenizer, the checks and the feature key: when any of those fails the model is
     * closed, or its weights would stay mapped and its compute threads parked for the rest of the process.
     */
    private static BertBackbone load(Path dir, String reference, int maxLength, EngineOptions options)
            throws IOException {
        BertModel model = BertModel.load(dir, options);
        try {
            ModelInput input;
            try {
                input = ModelInput.of(model, maxLength);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(reference + ": " + e.getMessage(), e);
            }
            return new BertBackbone(model, input, reference, reference + filesOf(dir));
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The product's default model, all-MiniLM-L6-v2, with the default engine options. */
    public static BertBackbone defaultModel(int maxLength) throws IOException {
        return bundled(BundledModels.DEFAULT_MODEL, maxLength, EngineOptions.defaults());
    }

    /**
     * Opens what a saved reference names: {@code bundled:<name>} or a model folder path (a relative path is taken
     * relative to {@code base}, the saved heads' folder).
     */
    public static BertBackbone fromReference(String reference, Path base, int maxLength, EngineOptions options)
            throws IOException {
        Path dir = folderOf(reference, base);
        // A bundled model keeps its name as reference, so heads saved on it stay portable.
        return reference.startsWith(BUNDLED) ? load(dir, reference, maxLength, options) : open(dir, maxLength, options);
    }

    /**
     * The model folder a saved reference names, as {@link #fromReference} opens it: a bundled model's cache folder
     * (converted first if need be), else the path, relative to {@code base}. The folder may not exist.
     */
    public static Path folderOf(String reference, Path base) throws IOException {
        return reference.startsWith(BUNDLED) ? BundledModels.ensure(reference.substring(BUNDLED.length()))
                : base.resolve(reference);
    }

    /**
     * The folder's top-level files (weights, config, tokenizer) by name, size and modification time: writing another
     * model into the folder changes at least one of them. Cheaper than hashing the weights, which can be gigabytes.
     */
    private static String filesOf(Path dir) throws IOException {
        StringBuilder key = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                key.append('\n').append(file.getFileName()).append(' ').append(attributes.size()).append(' ')
                        .append(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            }
        }
        return key.toString();
    }

    @Override
    public String featureKey() {
        return featureKey;
    }

    @Override
    public int hiddenSize() {
        return model.config().hiddenSize();
    }

    @Override
    public int maxLength() {
        return input.maxLength();
    }

    @Override
    public String reference() {
        return reference;
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
        return model.forward(TokenBatch.ofIds(ids));
    }

    /** The tokenizer. */
    public BertTokenizer tokenizer() {
        return input.tokenizer();
    }

    /** The encoder. */
    public BertModel model() {
        return model;
    }

    @Override
    public void close() {
        model.close();
    }
}
