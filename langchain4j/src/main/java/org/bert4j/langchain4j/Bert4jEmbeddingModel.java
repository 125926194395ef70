package org.bert4j.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingParameter;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.embedding.response.EmbeddingResponseMetadata;
import org.bert4j.engine.EmbeddingRequest;
import org.bert4j.engine.EncoderOptions;
import org.bert4j.engine.SentenceEncoder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A bert4j {@link SentenceEncoder} as a langchain4j {@link EmbeddingModel}: embeddings computed in-process, for
 * langchain4j's embedding stores, ingestors and retrievers.
 * {@code EmbeddingModel model = Bert4jEmbeddingModel.load(Path.of("all-MiniLM-L6-v2"));}
 *
 * <p>langchain4j's request parameters map onto sentence-transformers' encode arguments: {@code inputType(QUERY)} uses
 * the model's "query" prompt ({@code encode_query}), {@code inputType(DOCUMENT)} its document prompt
 * ({@code encode_document}; see {@link SentenceEncoder#encodeDocument}), and {@code dimensions(n)} truncates to the
 * first n values (Matryoshka). Inputs without a type get the model's default prompt, if its folder names one. Safe to
 * share across threads, as the encoder is.
 */
public final class Bert4jEmbeddingModel implements EmbeddingModel, AutoCloseable {

    private final SentenceEncoder encoder;
    private final boolean ownsEncoder;
    private final EmbeddingRequest defaults;

    private Bert4jEmbeddingModel(SentenceEncoder encoder, boolean ownsEncoder, EmbeddingRequest defaults) {
        this.encoder = encoder;
        this.ownsEncoder = ownsEncoder;
        this.defaults = defaults;
    }

    /** Loads a model folder with its own pooling, normalisation and prompts; {@link #close()} releases it. */
    public static Bert4jEmbeddingModel load(Path modelDir) throws IOException {
        return load(modelDir, EncoderOptions.defaults());
    }

    /** Loads a model folder with explicit encoder options; {@link #close()} releases it. */
    public static Bert4jEmbeddingModel load(Path modelDir, EncoderOptions options) throws IOException {
        return new Bert4jEmbeddingModel(SentenceEncoder.load(modelDir, options), true, EmbeddingRequest.defaults());
    }

    /** Wraps an encoder the caller keeps and closes (several adapters, or other code, may share it). */
    public static Bert4jEmbeddingModel of(SentenceEncoder encoder) {
        if (encoder == null) {
            throw new IllegalArgumentException("encoder must not be null");
        }
        return new Bert4jEmbeddingModel(encoder, false, EmbeddingRequest.defaults());
    }

    /**
     * A model sharing this one's encoder whose every call starts from {@code request} (a prompt, a truncation, a final
     * normalisation), e.g. {@code withRequest(EmbeddingRequest.defaults().withTruncateDim(128))}; a request's own
     * {@code dimensions} or {@code inputType} still take over. Closing the copy leaves the encoder open.
     */
    public Bert4jEmbeddingModel withRequest(EmbeddingRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null (EmbeddingRequest.defaults())");
        }
        return new Bert4jEmbeddingModel(encoder, false, request);
    }

    @Override
    public EmbeddingResponse doEmbed(dev.langchain4j.model.embedding.request.EmbeddingRequest request) {
        List<String> texts = new ArrayList<>(request.inputs().size());
        for (EmbeddingInput input : request.inputs()) {
            texts.add(input.text());
        }
        EmbeddingRequestParameters parameters = request.parameters();
        EmbeddingRequest encode = defaults;
        if (parameters != null && parameters.dimensions() != null) {
            encode = encode.withTruncateDim(parameters.dimensions());
        }
        EmbeddingInputType type = parameters == null ? null : parameters.inputType();
        float[][] vectors = type == EmbeddingInputType.QUERY ? encoder.encodeQuery(texts, encode)
                : type == EmbeddingInputType.DOCUMENT ? encoder.encodeDocument(texts, encode)
                : encoder.encode(texts, encode);
        List<Embedding> embeddings = new ArrayList<>(vectors.length);
        for (float[] v : vectors) {
            embeddings.add(Embedding.from(v));
        }
        return EmbeddingResponse.builder()
                .embeddings(embeddings)
                .metadata(EmbeddingResponseMetadata.builder().modelName(modelName()).build())
                .build();
    }

    /** {@code dimensions} (truncation) and {@code inputType} (query / document prompts); a model name is refused. */
    @Override
    public Set<EmbeddingParameter<?>> supportedParameters() {
        return Set.of(EmbeddingRequestParameters.DIMENSIONS, EmbeddingRequestParameters.INPUT_TYPE);
    }

    /** The length of the vectors {@code embed} returns: the default request's truncation, else the model's width. */
    @Override
    public int dimension() {
        return defaults.truncateDim() > 0 ? defaults.truncateDim() : encoder.dimension();
    }

    /** The model folder's name, e.g. "all-MiniLM-L6-v2". */
    @Override
    public String modelName() {
        Path name = encoder.model().modelDir().toAbsolutePath().normalize().getFileName();
        return name == null ? encoder.model().modelDir().toString() : name.toString();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** The encoder doing the work (for its prompts, similarity function or quantized output). */
    public SentenceEncoder encoder() {
        return encoder;
    }

    /** Closes the encoder if {@link #load} opened it; an adapter made by {@link #of} or {@link #withRequest} leaves it open. */
    @Override
    public void close() {
        if (ownsEncoder) {
            encoder.close();
        }
    }
}
