package org.bert4j.engine;

import org.bert4j.folder.EncodeConfig;
import org.bert4j.folder.Pooling;
import org.bert4j.folder.SentenceTransformerConfig;
import org.bert4j.tokenizer.BertTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sentence embeddings from a BERT model folder in a few lines:
 * {@code try (var encoder = SentenceEncoder.load(dir)) { float[][] v = encoder.encode(List.of("…")); }}.
 *
 * <p>Texts go through the model's {@link ModelInput} (tokenised, truncated to the maximum length as Hugging Face
 * does, packed into batches without padding), then {@link BertModel}, then are pooled ({@link Pooling}) and, if the
 * model asks for it, L2-normalised, exactly as sentence-transformers' {@code encode} does. One encoder is safe to
 * share across threads.
 *
 * <p>{@link #encode(List, EmbeddingRequest)} takes the rest of {@code encode}'s arguments: prompts (named ones from
 * the folder's {@code config_sentence_transformers.json}, or any text), Matryoshka truncation and a final
 * normalisation; {@link #encodeQuantized} gives int8 / uint8 / binary / ubinary output, and {@link #similarity} the
 * model's similarity matrix.
 */
public final class SentenceEncoder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SentenceEncoder.class.getName());

    private final BertModel model;
    private final ModelInput input;
    private final Pooling pooling;
    private final boolean normalize;
    private final int batchSize;
    private final EncodePrompts prompts;
    private final SimilarityFunction similarity;

    private SentenceEncoder(BertModel model, ModelInput input, Pooling pooling, boolean normalize, int batchSize,
                            EncodePrompts prompts, SimilarityFunction similarity) {
        this.model = model;
        this.input = input;
        this.pooling = pooling;
        this.normalize = normalize;
        this.batchSize = batchSize;
        this.prompts = prompts;
        this.similarity = similarity;
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
            EncodeConfig config = EncodeConfig.read(modelDir);
            EncodePrompts prompts = EncodePrompts.of(config, SentenceTransformerConfig.readIncludePrompt(modelDir),
                    modelDir.resolve(EncodeConfig.FILE));
            SimilarityFunction similarity = config.similarityFnName() == null ? SimilarityFunction.COSINE
                    : SimilarityFunction.fromName(config.similarityFnName());
            return new SentenceEncoder(model, input, pooling, normalize, options.batchSize(), prompts, similarity);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * One vector per text, in order; an empty list gives an empty array. An empty text encodes as [CLS] [SEP]. The
     * folder's default prompt, when its {@code config_sentence_transformers.json} names one, is prepended, as
     * sentence-transformers' {@code encode(texts)} does.
     */
    public float[][] encode(List<String> texts) {
        return encode(texts, EmbeddingRequest.defaults(), EncodeListener.NONE);
    }

    /** One vector per text, with a prompt, truncation and normalisation as {@code request} says. */
    public float[][] encode(List<String> texts, EmbeddingRequest request) {
        return encode(texts, request, EncodeListener.NONE);
    }

    /**
     * One vector per text as {@code request} says, telling {@code listener} after each batch. The vectors have
     * {@code request.truncateDim()} values when it is set (at most {@link #dimension()}), else {@link #dimension()}.
     */
    public float[][] encode(List<String> texts, EmbeddingRequest request, EncodeListener listener) {
        checkTexts(texts);
        if (request == null || listener == null) {
            throw new IllegalArgumentException("request and listener must not be null (EmbeddingRequest.defaults(),"
                    + " EncodeListener.NONE)");
        }
        if (request.truncateDim() > dimension()) {
            throw new IllegalArgumentException("truncateDim " + request.truncateDim() + " exceeds the model's "
                    + dimension() + " dimensions");
        }
        String prompt = prompts.resolve(request);
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += batchSize) {
            int to = Math.min(texts.size(), from + batchSize);
            List<String> batch = texts.subList(from, to);
            if (!prompt.isEmpty()) {
                List<String> prompted = new ArrayList<>(batch.size());
                for (String text : batch) {
                    prompted.add(prompt + text);
                }
                batch = prompted;
            }
            BertModelOutput hidden = model.forward(input.batch(batch));
            for (int s = 0; s < hidden.size(); s++) {
                float[] v = hidden.pool(pooling, s);
                if (normalize) {
                    Normalize.l2(v);   // the model's Normalize module, before truncation as in its module list
                }
                if (request.truncateDim() > 0) {
                    v = Arrays.copyOf(v, request.truncateDim());
                }
                if (request.normalizeEmbeddings()) {
                    Normalize.l2(v);
                }
                out[from + s] = v;
            }
            listener.encoded(to, texts.size());
        }
        return out;
    }

    /**
     * sentence-transformers' {@code encode_query}: as {@link #encode(List, EmbeddingRequest)}, with the model's
     * "query" prompt when the request names none.
     */
    public float[][] encodeQuery(List<String> texts, EmbeddingRequest request) {
        return encode(texts, prompts.forQuery(request));
    }

    /**
     * sentence-transformers' {@code encode_document}: as {@link #encode(List, EmbeddingRequest)}, with the first of
     * the prompts "document", "passage", "corpus" the model has when the request names none. As in
     * sentence-transformers 5, "document" is always among the prompts (empty unless the folder sets it), so a folder
     * whose document prompt is called "passage" gets it only by name: {@code withPromptName("passage")}.
     */
    public float[][] encodeDocument(List<String> texts, EmbeddingRequest request) {
        return encode(texts, prompts.forDocument(request));
    }

    /**
     * The texts encoded as {@code request} says, then quantized to {@code precision} as sentence-transformers'
     * {@code encode(precision=…)} does; int8 / uint8 ranges come from {@code calibration}, or from these texts' own
     * vectors when it is null (stable only with many texts: see {@link Calibration}).
     */
    public QuantizedEmbeddings encodeQuantized(List<String> texts, EmbeddingRequest request, Precision precision,
                                               Calibration calibration) {
        if (precision == null || precision == Precision.FLOAT32) {
            throw new IllegalArgumentException("precision must be int8, uint8, binary or ubinary (float32 is encode), got "
                    + precision);
        }
        return Quantization.quantize(encode(texts, request), precision, calibration);
    }

    /**
     * The model's similarity of every pair, {@code result[i][j] = similarity(a[i], b[j])}: its
     * {@code similarity_fn_name} from {@code config_sentence_transformers.json}, cosine when it names none, as
     * sentence-transformers' {@code model.similarity}.
     */
    public float[][] similarity(float[][] a, float[][] b) {
        return similarity.matrix(a, b);
    }

    /** The similarity function {@link #similarity} uses. */
    public SimilarityFunction similarityFunction() {
        return similarity;
    }

    /**
     * The prompts by name: "query" and "document" (empty unless the folder sets them, as sentence-transformers 5
     * seeds them) and those of {@code config_sentence_transformers.json}, in that order.
     */
    public Map<String, String> prompts() {
        return prompts.byName();
    }

    /** The prompt name {@link #encode(List)} uses when the request names none: {@code default_prompt_name}. */
    public Optional<String> defaultPromptName() {
        return Optional.ofNullable(prompts.defaultName());
    }

    private static void checkTexts(List<String> texts) {
        if (texts == null) {
            throw new IllegalArgumentException("texts must not be null");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null");
            }
        }
    }

    /** The vector of one text. */
    public float[] encode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return encode(List.of(text))[0];
    }

    /** The length of every vector without truncation (the model's hidden size). */
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
