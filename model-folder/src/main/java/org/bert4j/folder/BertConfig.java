package org.bert4j.folder;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The shape and behaviour of a BERT model, as Hugging Face writes it in a model folder's {@code config.json}.
 *
 * <p>Field names follow {@code transformers.BertConfig}. The sizes that decide every tensor's shape are required;
 * the others take Hugging Face's defaults when absent, exactly as {@code BertConfig.__init__} does.
 *
 * @param modelType              {@code model_type} ("bert" when absent)
 * @param vocabSize              {@code vocab_size}: rows of the word embedding table
 * @param hiddenSize             {@code hidden_size}: width of every token vector between layers
 * @param numHiddenLayers        {@code num_hidden_layers}: encoder layers
 * @param numAttentionHeads      {@code num_attention_heads}: heads per self-attention
 * @param intermediateSize       {@code intermediate_size}: width of the feed-forward layer
 * @param hiddenAct              {@code hidden_act}: the feed-forward activation ("gelu", "gelu_new", "relu", ...)
 * @param maxPositionEmbeddings  {@code max_position_embeddings}: the longest sequence the model can read
 * @param typeVocabSize          {@code type_vocab_size}: rows of the token-type (segment) table
 * @param layerNormEps           {@code layer_norm_eps}: the epsilon inside every LayerNorm
 * @param padTokenId             {@code pad_token_id}
 * @param positionEmbeddingType  {@code position_embedding_type}: only "absolute" is supported
 * @param hiddenDropoutProb      {@code hidden_dropout_prob}: dropout after the embeddings and every sub-layer, in
 *                               training only
 * @param attentionProbsDropoutProb {@code attention_probs_dropout_prob}: dropout on the attention weights, in
 *                               training only
 * @param initializerRange       {@code initializer_range}: the standard deviation new weights are drawn with
 */
public record BertConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        String hiddenAct,
        int maxPositionEmbeddings,
        int typeVocabSize,
        double layerNormEps,
        int padTokenId,
        String positionEmbeddingType,
        double hiddenDropoutProb,
        double attentionProbsDropoutProb,
        double initializerRange) {

    /** The activations {@code hidden_act} may name (Hugging Face's ACT2FN keys that BERT checkpoints use). */
    public static final Set<String> SUPPORTED_ACTIVATIONS =
            Set.of("gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu");

    /** Validates the numbers so that a wrong config fails here, with the field's name, not deep in a forward pass. */
    public BertConfig {
        requirePositive("vocab_size", vocabSize);
        requirePositive("hidden_size", hiddenSize);
        requirePositive("num_hidden_layers", numHiddenLayers);
        requirePositive("num_attention_heads", numAttentionHeads);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        requirePositive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("config: hidden_size (" + hiddenSize
                    + ") is not a multiple of num_attention_heads (" + numAttentionHeads + ")");
        }
        if (hiddenAct == null || !SUPPORTED_ACTIVATIONS.contains(hiddenAct)) {
            throw new IllegalArgumentException("config: hidden_act \"" + hiddenAct + "\" is not supported; expected one of "
                    + SUPPORTED_ACTIVATIONS);
        }
        // LayerNorm computes in float: an epsilon that rounds to 0 or infinity there is as invalid as one that is 0.
        if (!((float) layerNormEps > 0) || !Float.isFinite((float) layerNormEps)) {
            throw new IllegalArgumentException("config: layer_norm_eps must be a positive number that a float can hold"
                    + " (at least 1.4e-45), got " + layerNormEps);
        }
        requireProbability("hidden_dropout_prob", hiddenDropoutProb);
        requireProbability("attention_probs_dropout_prob", attentionProbsDropoutProb);
        if (!(initializerRange >= 0) || !Double.isFinite(initializerRange)) {
            throw new IllegalArgumentException("config: initializer_range must be a finite number >= 0, got "
                    + initializerRange);
        }
        if (!"absolute".equals(positionEmbeddingType)) {
            throw new IllegalArgumentException("config: position_embedding_type \"" + positionEmbeddingType
                    + "\" is not supported; only \"absolute\" (the BERT default) is");
        }
    }

    /** Width of one attention head: {@code hidden_size / num_attention_heads}. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /**
     * This config as the {@code config.json} object transformers writes for a {@code BertModel}, with Hugging Face's
     * field names.
     */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        JsonArray architectures = new JsonArray();
        architectures.add("BertModel");
        json.add("architectures", architectures);
        json.addProperty("model_type", modelType);
        json.addProperty("vocab_size", vocabSize);
        json.addProperty("hidden_size", hiddenSize);
        json.addProperty("num_hidden_layers", numHiddenLayers);
        json.addProperty("num_attention_heads", numAttentionHeads);
        json.addProperty("intermediate_size", intermediateSize);
        json.addProperty("hidden_act", hiddenAct);
        json.addProperty("hidden_dropout_prob", hiddenDropoutProb);
        json.addProperty("attention_probs_dropout_prob", attentionProbsDropoutProb);
        json.addProperty("max_position_embeddings", maxPositionEmbeddings);
        json.addProperty("type_vocab_size", typeVocabSize);
        json.addProperty("initializer_range", initializerRange);
        json.addProperty("layer_norm_eps", layerNormEps);
        json.addProperty("pad_token_id", padTokenId);
        json.addProperty("position_embedding_type", positionEmbeddingType);
        return json;
    }

    /** Writes {@link #toJson()} to {@code configJson}, pretty-printed as transformers writes it. */
    public void write(Path configJson) throws IOException {
        Json.write(configJson, toJson());
    }

    /** A BERT of the given sizes with Hugging Face's defaults elsewhere (gelu, 512 positions, 2 token types, ε 1e-12). */
    public static BertConfig of(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
                                int intermediateSize) {
        return new BertConfig("bert", vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                "gelu", 512, 2, 1e-12, 0, "absolute", 0.1, 0.1, 0.02);
    }

    /** A copy with another {@code hidden_act}. */
    public BertConfig withHiddenAct(String act) {
        return new BertConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                act, maxPositionEmbeddings, typeVocabSize, layerNormEps, padTokenId, positionEmbeddingType,
                hiddenDropoutProb, attentionProbsDropoutProb, initializerRange);
    }

    /** A copy with another {@code pad_token_id}. */
    public BertConfig withPadTokenId(int id) {
        return new BertConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, maxPositionEmbeddings, typeVocabSize, layerNormEps, id, positionEmbeddingType,
                hiddenDropoutProb, attentionProbsDropoutProb, initializerRange);
    }

    /** A copy with other dropout probabilities (hidden_dropout_prob, attention_probs_dropout_prob). */
    public BertConfig withDropout(double hidden, double attentionProbs) {
        return new BertConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, maxPositionEmbeddings, typeVocabSize, layerNormEps, padTokenId, positionEmbeddingType,
                hidden, attentionProbs, initializerRange);
    }

    /** Reads {@code config.json}; a missing, mistyped or out-of-range field is an error naming the file and the field. */
    public static BertConfig read(Path configJson) throws IOException {
        JsonObject json = Json.readObject(configJson);
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(configJson + ": " + e.getMessage(), e);
        }
    }

    /** Builds a config from an already parsed {@code config.json} object. */
    public static BertConfig fromJson(JsonObject json) {
        String modelType = optionalString(json, "model_type", "bert");
        // Hugging Face BertConfig defaults for the fields a config may leave out.
        return new BertConfig(
                modelType,
                requiredInt(json, "vocab_size"),
                requiredInt(json, "hidden_size"),
                requiredInt(json, "num_hidden_layers"),
                requiredInt(json, "num_attention_heads"),
                requiredInt(json, "intermediate_size"),
                optionalString(json, "hidden_act", "gelu").toLowerCase(Locale.ROOT),
                optionalInt(json, "max_position_embeddings", 512),
                optionalInt(json, "type_vocab_size", 2),
                optionalDouble(json, "layer_norm_eps", 1e-12),
                optionalInt(json, "pad_token_id", 0),
                optionalString(json, "position_embedding_type", "absolute"),
                optionalDouble(json, "hidden_dropout_prob", 0.1),
                optionalDouble(json, "attention_probs_dropout_prob", 0.1),
                optionalDouble(json, "initializer_range", 0.02));
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("config: " + field + " must be positive, got " + value);
        }
    }

    private static void requireProbability(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("config: " + field + " must be in [0, 1), got " + value);
        }
    }

    private static int requiredInt(JsonObject json, String field) {
        if (!json.has(field) || json.get(field).isJsonNull()) {
            throw new IllegalArgumentException("config: missing field \"" + field + "\"");
        }
        return asInt(json, field);
    }

    private static int optionalInt(JsonObject json, String field, int fallback) {
        return json.has(field) && !json.get(field).isJsonNull() ? asInt(json, field) : fallback;
    }

    private static int asInt(JsonObject json, String field) {
        JsonPrimitive p = primitive(json, field);
        if (!p.isNumber()) {
            throw new IllegalArgumentException("config: field \"" + field + "\" must be an integer, got " + p);
        }
        double d = p.getAsDouble();
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("config: field \"" + field + "\" must be an integer, got " + p);
        }
        return (int) d;
    }

    private static double optionalDouble(JsonObject json, String field, double fallback) {
        if (!json.has(field) || json.get(field).isJsonNull()) {
            return fallback;
        }
        JsonPrimitive p = primitive(json, field);
        if (!p.isNumber()) {
            throw new IllegalArgumentException("config: field \"" + field + "\" must be a number, got " + p);
        }
        return p.getAsDouble();
    }

    private static String optionalString(JsonObject json, String field, String fallback) {
        if (!json.has(field) || json.get(field).isJsonNull()) {
            return fallback;
        }
        JsonPrimitive p = primitive(json, field);
        if (!p.isString()) {
            throw new IllegalArgumentException("config: field \"" + field + "\" must be a string, got " + p);
        }
        return p.getAsString();
    }

    private static JsonPrimitive primitive(JsonObject json, String field) {
        JsonElement e = json.get(field);
        if (!e.isJsonPrimitive()) {
            throw new IllegalArgumentException("config: field \"" + field + "\" must be a single value, got " + e);
        }
        return e.getAsJsonPrimitive();
    }
}
