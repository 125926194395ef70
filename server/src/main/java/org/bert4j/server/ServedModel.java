package org.bert4j.server;

import org.bert4j.engine.BertModel;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.ModelInput;
import org.bert4j.engine.Normalize;
import org.bert4j.engine.SentenceEncoder;
import org.bert4j.folder.Pooling;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.HeadsFolder;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.tokenizer.Encoding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * What the server computes with: one model folder loaded once, its {@link InferenceQueue}, and optionally task
 * heads ({@code bert4j train}'s folder) on that same model, plus the seams for prompts and a re-ranker.
 *
 * <p>Embeddings are made as {@link SentenceEncoder} makes them (the folder's pooling through
 * {@link BertModelOutput#pool}, then {@link Normalize#l2}), but from forwards shared with other requests.
 */
public final class ServedModel implements AutoCloseable {

    private final SentenceEncoder encoder;
    private final InputEncoder inputs;
    private final InferenceQueue queue;
    private final MultiTaskModel heads;
    private final InputEncoder headInputs;
    private final Prompts prompts;
    private final Reranker reranker;
    private final String name;
    private final ServerMetrics metrics;

    private ServedModel(SentenceEncoder encoder, InferenceQueue queue, MultiTaskModel heads, InputEncoder headInputs,
                        Prompts prompts, Reranker reranker, String name, ServerMetrics metrics) {
        this.encoder = encoder;
        this.inputs = new InputEncoder(encoder.input());
        this.queue = queue;
        this.heads = heads;
        this.headInputs = headInputs;
        this.prompts = prompts;
        this.reranker = reranker;
        this.name = name;
        this.metrics = metrics;
    }

    /**
     * Loads {@code modelDir} (and the heads in {@code headsDir} when not null) for serving with {@code options}.
     * Prompts come from the folder's {@code config_sentence_transformers.json}; there is no re-ranker
     * ({@link #withReranker}).
     */
    public static ServedModel load(Path modelDir, Path headsDir, ServerOptions options) throws IOException {
        return load(modelDir, headsDir, options, BatchObserver.NONE);
    }

    /**
     * As {@link #load(Path, Path, ServerOptions)}, with {@code watcher} told of the queue's work after the metrics:
     * a test holds the batcher still with it, so what waits and for how long does not depend on the machine's speed.
     */
    static ServedModel load(Path modelDir, Path headsDir, ServerOptions options, BatchObserver watcher)
            throws IOException {
        EncoderOptions encoderOptions = EncoderOptions.defaults().withMaxLength(options.maxInputLength())
                .withThreads(options.threads());
        SentenceEncoder encoder = SentenceEncoder.load(modelDir, encoderOptions);
        InferenceQueue queue = null;
        try {
            int maxLength = encoder.maxLength();
            if (options.maxBatchTokens() < maxLength) {
                // TEI refuses this too: an input of the max length could never be batched.
                throw new IllegalArgumentException("max batch tokens (" + options.maxBatchTokens()
                        + ") must be at least the max input length (" + maxLength + ")");
            }
            ServerMetrics metrics = new ServerMetrics(options.effectiveMaxBatchRequests(), options.maxBatchTokens());
            queue = new InferenceQueue(encoder.model(), options.maxBatchTokens(), options.effectiveMaxBatchRequests(),
                    watcher == BatchObserver.NONE ? metrics : both(metrics, watcher));
            MultiTaskModel heads = null;
            InputEncoder headInputs = null;
            if (headsDir != null) {
                HeadsFolder.BackboneReference saved = HeadsFolder.backboneOf(headsDir);
                checkSameBackbone(saved.reference(), headsDir, modelDir);
                if (options.maxBatchTokens() < saved.maxLength()) {
                    throw new IllegalArgumentException("max batch tokens (" + options.maxBatchTokens()
                            + ") must be at least the heads' max length (" + saved.maxLength() + ")");
                }
                ModelInput headInput;
                try {
                    headInput = ModelInput.of(encoder.model(), saved.maxLength());
                } catch (IllegalArgumentException e) {
                    throw new IOException(headsDir.resolve(HeadsFolder.JSON) + ": " + e.getMessage(), e);
                }
                QueuedBackbone backbone = new QueuedBackbone(queue, headInput, encoder.dimension(),
                        saved.reference(), options.requestTimeout().toNanos());
                heads = MultiTaskModel.load(headsDir, backbone).withBatchSize(Math.max(1, options.maxClientBatchSize()));
                headInputs = new InputEncoder(headInput);
            }
            String name = options.servedModelName() != null ? options.servedModelName()
                    : String.valueOf(modelDir.toAbsolutePath().normalize().getFileName());
            return new ServedModel(encoder, queue, heads, headInputs, Prompts.of(modelDir), null, name, metrics);
        } catch (IOException | RuntimeException e) {
            if (queue != null) {
                queue.close();
            }
            encoder.close();
            throw e;
        }
    }

    private static BatchObserver both(BatchObserver first, BatchObserver second) {
        return new BatchObserver() {
            @Override
            public void batch(int sequences, int tokens, double forwardSeconds) {
                first.batch(sequences, tokens, forwardSeconds);
                second.batch(sequences, tokens, forwardSeconds);
            }

            @Override
            public void dequeued(double seconds) {
                first.dequeued(seconds);
                second.dequeued(seconds);
            }
        };
    }

    /**
     * Heads are served on the model given, which must be the one they were trained on: another model of the same
     * width would load and answer nonsense. A recorded folder that no longer exists (moved) is let through, as
     * {@code bert4j classify --model} lets it through; the hidden size is still checked.
     */
    private static void checkSameBackbone(String reference, Path headsDir, Path modelDir) throws IOException {
        Path recorded;
        try {
            recorded = BertBackbone.folderOf(reference, headsDir);
        } catch (IOException e) {
            return;
        }
        if (Files.isDirectory(recorded) && !Files.isSameFile(recorded, modelDir)) {
            throw new IOException("the heads in " + headsDir + " were trained on " + reference + " (" + recorded
                    + "), not on the model served (" + modelDir + "): serve that model, or train heads on this one");
        }
    }

    /** A copy that answers {@code /rerank} with {@code reranker}; it shares this one's model: close only one. */
    public ServedModel withReranker(Reranker reranker) {
        return new ServedModel(encoder, queue, heads, headInputs, prompts, reranker, name, metrics);
    }

    /** A copy that takes {@code prompt_name} from {@code prompts}; it shares this one's model: close only one. */
    public ServedModel withPrompts(Prompts prompts) {
        return new ServedModel(encoder, queue, heads, headInputs, prompts, reranker, name, metrics);
    }

    /**
     * The model's output for these encodings, from forward passes shared with concurrent requests.
     *
     * @throws TimeoutException when {@code deadlineNanos} passes first
     */
    BertModelOutput forward(List<Encoding> encodings, long deadlineNanos) throws TimeoutException, InterruptedException {
        return queue.forward(encoder.input().pack(encodings), deadlineNanos);
    }

    /**
     * Sentence vectors: pooled as the folder says, cut to {@code dimensions} when it is not 0 (Matryoshka models
     * keep their meaning in the leading dimensions), then L2-normalised when asked; the order TEI uses, so a
     * shortened vector is still a unit vector.
     */
    float[][] embed(List<Encoding> encodings, boolean normalize, int dimensions, long deadlineNanos)
            throws TimeoutException, InterruptedException {
        BertModelOutput out = forward(encodings, deadlineNanos);
        float[][] vectors = new float[out.size()][];
        for (int s = 0; s < out.size(); s++) {
            float[] v = out.pool(encoder.pooling(), s);
            if (dimensions != 0 && dimensions < v.length) {
                v = Arrays.copyOf(v, dimensions);
            }
            if (normalize) {
                Normalize.l2(v);
            }
            vectors[s] = v;
        }
        return vectors;
    }

    /** The encoder for embedding inputs (the served max input length). */
    InputEncoder inputs() {
        return inputs;
    }

    /** The encoder for the heads' inputs (their max length); null without heads. */
    InputEncoder headInputs() {
        return headInputs;
    }

    /** The heads, or null when none are served. */
    MultiTaskModel heads() {
        return heads;
    }

    /** The re-ranker, or null. */
    Reranker reranker() {
        return reranker;
    }

    /** The named prompts. */
    Prompts prompts() {
        return prompts;
    }

    /** The name clients see ({@code model} in OpenAI responses). */
    String name() {
        return name;
    }

    /** The sentence pooling. */
    Pooling pooling() {
        return encoder.pooling();
    }

    /** The width of a sentence vector. */
    int dimension() {
        return encoder.dimension();
    }

    /** The underlying model. */
    BertModel model() {
        return encoder.model();
    }

    /** The server's numbers, fed by the queue. */
    ServerMetrics metrics() {
        return metrics;
    }

    /** The queue in front of the model. */
    InferenceQueue queue() {
        return queue;
    }

    /** Finishes the queued work, then closes the model. */
    @Override
    public void close() {
        queue.close();
        encoder.close();
        if (reranker instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the re-ranker failed", e);
            }
        }
    }
}
