package org.bert4j.heads;

import org.bert4j.convert.BundledModels;
import org.bert4j.engine.BertModel;
import org.bert4j.engine.BertOutput;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.TokenBatch;
import org.bert4j.engine.kernels.WarmUp;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;
import org.bert4j.tokenizer.Truncation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
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
    private final BertTokenizer tokenizer;
    private final EncodeOptions encodeOptions;
    private final int maxLength;
    private final String reference;
    private final String featureKey;

    private BertBackbone(BertModel model, BertTokenizer tokenizer, int maxLength, String reference, String featureKey) {
        int modelMax = Math.min(tokenizer.modelMaxLength(), model.config().maxPositionEmbeddings());
        if (maxLength <= 2 || maxLength > modelMax) {
            throw new IllegalArgumentException("max length must be in [3, " + modelMax + "] for " + reference
                    + ", got " + maxLength);
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.reference = reference;
        this.featureKey = featureKey;
        this.encodeOptions = EncodeOptions.defaults().withMaxLength(maxLength).withTruncation(Truncation.LONGEST_FIRST);
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
            return new BertBackbone(model, BertTokenizer.load(dir), maxLength, reference, reference + filesOf(dir));
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
        return maxLength;
    }

    @Override
    public String reference() {
        return reference;
    }

    @Override
    public Tokens tokenize(String text) {
        Encoding e = tokenizer.encode(text, encodeOptions);
        return new Tokens(text, e.ids(), e.offsetStarts(), e.offsetEnds(), e.wordIds());
    }

    /**
     * A fresh JVM's first forwards run scalar twins of the vector kernels (and the auto GEMM stays on OpenBLAS) until
     * the vector code is compiled; their results differ in the last bits. Waiting for it costs about a second once
     * per process (at most 60 s on a machine too busy to compile, after which the warm-up calls itself done).
     */
    @Override
    public void awaitSteadyKernels() {
        try {
            WarmUp.awaitCompiled(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public BertOutput forward(List<Tokens> batch) {
        List<int[]> ids = new ArrayList<>(batch.size());
        for (Tokens tokens : batch) {
            ids.add(tokens.ids());
        }
        return model.forward(TokenBatch.ofIds(ids));
    }

    /** The tokenizer. */
    public BertTokenizer tokenizer() {
        return tokenizer;
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
