package org.bert4j.engine;

import org.bert4j.folder.Pooling;
import org.bert4j.folder.SentenceTransformerConfig;
import org.bert4j.tokenizer.BertTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Sentence embeddings from a BERT model folder in a few lines:
 * {@code try (var encoder = SentenceEncoder.load(dir)) { float[][] v = encoder.encode(List.of("…")); }}.
 *
 * <p>Texts go through the model's {@link ModelInput} (tokenised, truncated to the maximum length as Hugging Face
 * does, packed into batches without padding), then {@link BertModel}, then are pooled ({@link Pooling}) and, if the
 * model asks for it, L2-normalised, exactly as sentence-transformers' {@code encode} does. One encoder is safe to
 * share across threads.
 */
public final class SentenceEncoder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SentenceEncoder.class.getName());

    private final BertModel model;
    private final ModelInput input;
    private final Pooling pooling;
    private final boolean normalize;
    private final int batchSize;

    private SentenceEncoder(BertModel model, ModelInput input, Pooling pooling, boolean normalize, int batchSize) {
        this.model = model;
        this.input = input;
        this.pooling = pooling;
        this.normalize = normalize;
        this.batchSize = batchSize;
    }

    /** Loads a model folder with its own pooling and normalisation. */
    public static SentenceEncoder load(Path modelDir) throws IOException {
        return load(modelDir, EncoderOptions.defaults());
    }

    /** Loads a model folder; options left null or 0 take the folder's defaults. */
    public static SentenceEncoder load(Path modelDir, EncoderOptions options) throws IOException {
        BertModel model = BertModel.load(modelDir, options.engine());
        try {
            ModelInput input = ModelInput.of(model, options.maxLength());
            Pooling pooling = options.pooling();
            if (pooling == null) {
                Optional<Pooling> declared = SentenceTransformerConfig.readPooling(modelDir);
                pooling = declared.orElse(Pooling.MEAN);
                // Pooling decides what the vectors mean: say where it came from rather than choose silently.
                LOG.log(System.Logger.Level.INFO, declared.isPresent()
                        ? "bert4j: " + pooling.label() + " pooling, from " + modelDir.resolve("1_Pooling/config.json")
                        : "bert4j: " + modelDir + " has no 1_Pooling/config.json; using mean pooling");
            }
            boolean normalize = options.normalize() != null ? options.normalize()
                    : SentenceTransformerConfig.readNormalize(modelDir);
            return new SentenceEncoder(model, input, pooling, normalize, options.batchSize());
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** One vector per text, in order; an empty list gives an empty array. An empty text encodes as [CLS] [SEP]. */
    public float[][] encode(List<String> texts) {
        if (texts == null) {
            throw new IllegalArgumentException("texts must not be null");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null");
            }
        }
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += batchSize) {
            int to = Math.min(texts.size(), from + batchSize);
            BertModelOutput hidden = model.forward(input.batch(texts.subList(from, to)));
            for (int s = 0; s < hidden.size(); s++) {
                float[] v = hidden.pool(pooling, s);
                if (normalize) {
                    Normalize.l2(v);
                }
                out[from + s] = v;
            }
        }
        return out;
    }

    /** The vector of one text. */
    public float[] encode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return encode(List.of(text))[0];
    }

    /** The length of every vector (the model's hidden size). */
    public int dimension() {
        return model.config().hiddenSize();
    }

    /** The pooling in use. */
    public Pooling pooling() {
        return pooling;
    }

    /** Whether vectors are L2-normalised. */
    public boolean normalizes() {
        return normalize;
    }

    /** Tokens per text after truncation, [CLS] and [SEP] included. */
    public int maxLength() {
        return input.maxLength();
    }

    /** The underlying model, for hidden states. */
    public BertModel model() {
        return model;
    }

    /** The tokenizer. */
    public BertTokenizer tokenizer() {
        return input.tokenizer();
    }

    /** The way texts become model input (tokenise, truncate, pack), shared with the heads. */
    public ModelInput input() {
        return input;
    }

    @Override
    public void close() {
        model.close();
    }
}
