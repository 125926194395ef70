package org.bert4j.engine;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.bert4j.convert.BundledModels;
import org.bert4j.tokenizer.BertTokenizer;
import org.bert4j.tokenizer.EncodeOptions;
import org.bert4j.tokenizer.Encoding;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sentence embeddings from a BERT model folder in a few lines:
 * {@code try (var encoder = SentenceEncoder.defaultModel()) { float[][] v = encoder.encode(List.of("…")); }}.
 *
 * <p>Texts are tokenized (truncated to the model's maximum length, as Hugging Face does), packed into batches
 * without padding, run through {@link BertModel}, pooled ({@link Pooling}) and, if the model asks for it,
 * L2-normalised, exactly as sentence-transformers' {@code encode} does. One encoder is safe to share across threads.
 */
public final class SentenceEncoder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SentenceEncoder.class.getName());

    private final BertModel model;
    private final BertTokenizer tokenizer;
    private final Pooling pooling;
    private final boolean normalize;
    private final int batchSize;
    private final int maxLength;
    private final EncodeOptions encodeOptions;

    private SentenceEncoder(BertModel model, BertTokenizer tokenizer, Pooling pooling, boolean normalize,
                            int batchSize, int maxLength) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.normalize = normalize;
        this.batchSize = batchSize;
        this.maxLength = maxLength;
        this.encodeOptions = EncodeOptions.defaults().withMaxLength(maxLength);
    }

    /** The bundled default model, all-MiniLM-L6-v2 (converted into the cache on first use). */
    public static SentenceEncoder defaultModel() throws IOException {
        return load(BundledModels.defaultModel(), EncoderOptions.defaults());
    }

    /** Loads a model folder with its own pooling and normalisation. */
    public static SentenceEncoder load(Path modelDir) throws IOException {
        return load(modelDir, EncoderOptions.defaults());
    }

    /** Loads a model folder; options left null or 0 take the folder's defaults. */
    public static SentenceEncoder load(Path modelDir, EncoderOptions options) throws IOException {
        BertModel model = BertModel.load(modelDir, options.engine());
        try {
            BertTokenizer tokenizer = model.tokenizer();
            Pooling pooling = options.pooling();
            if (pooling == null) {
                Optional<Pooling> declared = Pooling.fromModelFolder(modelDir);
                pooling = declared.orElse(Pooling.MEAN);
                // Pooling decides what the vectors mean: say where it came from rather than choose silently.
                LOG.log(System.Logger.Level.INFO, declared.isPresent()
                        ? "bert4j: " + pooling.name().toLowerCase(java.util.Locale.ROOT) + " pooling, from " + modelDir.resolve("1_Pooling/config.json")
                        : "bert4j: " + modelDir + " has no 1_Pooling/config.json; using mean pooling");
            }
            boolean normalize = options.normalize() != null ? options.normalize() : hasNormalizeModule(modelDir);
            int limit = Math.min(defaultMaxLength(modelDir, tokenizer), model.config().maxPositionEmbeddings());
            int maxLength = options.maxLength() == 0 ? limit : options.maxLength();
            if (maxLength > model.config().maxPositionEmbeddings()) {
                throw new IllegalArgumentException("maxLength " + maxLength + " exceeds the model's max_position_embeddings ("
                        + model.config().maxPositionEmbeddings() + ")");
            }
            return new SentenceEncoder(model, tokenizer, pooling, normalize, options.batchSize(), maxLength);
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
            List<Encoding> encodings = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                encodings.add(tokenizer.encode(texts.get(i), encodeOptions));
            }
            BertOutput hidden = model.forward(TokenBatch.of(encodings));
            for (int s = 0; s < hidden.size(); s++) {
                float[] v = pooling.pool(hidden, s);
                if (normalize) {
                    Pooling.normalize(v);
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
        return maxLength;
    }

    /** The underlying model, for hidden states. */
    public BertModel model() {
        return model;
    }

    /** The tokenizer. */
    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * Whether the model folder declares sentence-transformers' Normalize module (written as 2_Normalize and listed
     * in modules.json), so its embeddings are L2-normalised unless the options say otherwise.
     */
    public static boolean hasNormalizeModule(Path modelDir) throws IOException {
        if (Files.isDirectory(modelDir.resolve("2_Normalize"))) {
            return true;
        }
        Path modules = modelDir.resolve("modules.json");
        return Files.isRegularFile(modules)
                && Files.readString(modules, StandardCharsets.UTF_8).contains("sentence_transformers.models.Normalize");
    }

    /**
     * sentence-transformers truncates at {@code max_seq_length} from {@code sentence_bert_config.json} when present
     * (256 for all-MiniLM-L6-v2), else at the tokenizer's {@code model_max_length}.
     */
    private static int defaultMaxLength(Path modelDir, BertTokenizer tokenizer) throws IOException {
        Path file = modelDir.resolve("sentence_bert_config.json");
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                JsonElement root = JsonParser.parseReader(reader);
                if (root.isJsonObject()) {
                    JsonObject json = root.getAsJsonObject();
                    if (json.has("max_seq_length") && !json.get("max_seq_length").isJsonNull()) {
                        return maxSeqLength(file, json.get("max_seq_length"));
                    }
                }
            } catch (JsonParseException e) {
                throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
            }
        }
        return tokenizer.modelMaxLength();
    }

    /** max_seq_length must be a whole number of at least 2 tokens ([CLS] and [SEP]). */
    private static int maxSeqLength(Path file, JsonElement value) throws IOException {
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            double length = value.getAsDouble();
            if (length >= 2 && length <= Integer.MAX_VALUE && length == Math.rint(length)) {
                return (int) length;
            }
        }
        throw new IOException(file + ": max_seq_length must be a whole number of at least 2 tokens ([CLS] and [SEP]),"
                + " got " + value);
    }
}
