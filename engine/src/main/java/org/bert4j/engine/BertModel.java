package org.bert4j.engine;

import org.bert4j.engine.bert.BertEmbeddings;
import org.bert4j.engine.bert.BertEncoder;
import org.bert4j.engine.bert.BertPooler;
import org.bert4j.engine.bert.Checkpoint;
import org.bert4j.engine.bert.Workspace;
import org.bert4j.safetensors.SafetensorsFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A BERT encoder loaded from a Hugging Face model folder, turning packed token batches into hidden states
 * ({@code modeling_bert.py} {@code BertModel}: embeddings, encoder, optional pooler).
 *
 * <p>Every tensor's presence and shape is checked against {@code config.json} at load. One instance is safe to share
 * across threads: the weights are read-only and each forward pass allocates its own activations.
 */
public final class BertModel implements AutoCloseable {

    private final Path modelDir;
    private final BertConfig config;
    private final EngineOptions options;
    private final BertEmbeddings embeddings;
    private final BertEncoder encoder;
    private final BertPooler pooler;

    private BertModel(Path modelDir, BertConfig config, EngineOptions options, BertEmbeddings embeddings,
                      BertEncoder encoder, BertPooler pooler) {
        this.modelDir = modelDir;
        this.config = config;
        this.options = options;
        this.embeddings = embeddings;
        this.encoder = encoder;
        this.pooler = pooler;
    }

    /** Loads with the default options (all processors, automatic GEMM backend). */
    public static BertModel load(Path modelDir) throws IOException {
        return load(modelDir, EngineOptions.defaults());
    }

    /** Loads {@code config.json} and {@code model.safetensors} from a model folder, validating every tensor. */
    public static BertModel load(Path modelDir, EngineOptions options) throws IOException {
        if (modelDir == null || !Files.isDirectory(modelDir)) {
            throw new IOException("model folder " + modelDir + " does not exist or is not a folder");
        }
        Path weights = modelDir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new IOException(modelDir + ": no model.safetensors (convert the checkpoint first)");
        }
        BertConfig config = BertConfig.read(modelDir.resolve("config.json"));
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            Checkpoint checkpoint = new Checkpoint(file);
            return new BertModel(modelDir, config, options,
                    BertEmbeddings.load(checkpoint, config),
                    BertEncoder.load(checkpoint, config),
                    BertPooler.loadIfPresent(checkpoint, config));
        }
    }

    /** The last hidden state (and the pooler output when the checkpoint has a pooler) of every sequence. */
    public BertOutput forward(TokenBatch batch) {
        return forward(batch, false);
    }

    /**
     * Runs the model; with {@code outputHiddenStates} the result also holds the embeddings output and every layer's
     * output, as Hugging Face's {@code output_hidden_states=True}.
     */
    public BertOutput forward(TokenBatch batch, boolean outputHiddenStates) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null");
        }
        embeddings.validate(batch);
        int tokens = batch.totalTokens();
        Workspace ws = new Workspace(tokens, config.hiddenSize(), config.intermediateSize());
        // The embeddings are computed into a scratch buffer and normalised into the residual stream.
        embeddings.forward(batch, ws.scratch(), ws.hidden());
        List<float[]> all = outputHiddenStates ? new ArrayList<>() : null;
        if (all != null) {
            all.add(ws.hidden().clone());
        }
        encoder.forward(batch, ws, all);
        float[] last = ws.hidden();
        float[] pooled = pooler == null ? null : pooler.forward(batch, last);
        return new BertOutput(last, config.hiddenSize(), batch.sequenceStarts().clone(), batch.sequenceLengths().clone(),
                all == null ? null : List.copyOf(all), pooled);
    }

    /** The model's configuration. */
    public BertConfig config() {
        return config;
    }

    /** The options it was loaded with. */
    public EngineOptions options() {
        return options;
    }

    /** Whether the checkpoint has a pooler, so {@link BertOutput#pooler()} is filled. */
    public boolean hasPooler() {
        return pooler != null;
    }

    /** The folder it was loaded from. */
    public Path modelDir() {
        return modelDir;
    }

    /** Releases the compute threads; the weights are plain heap arrays. */
    @Override
    public void close() {
    }
}
