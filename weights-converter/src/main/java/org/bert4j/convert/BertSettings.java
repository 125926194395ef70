package org.bert4j.convert;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hyper-parameters of a BERT encoder as Hugging Face's {@code BertConfig} names them; written as
 * {@code config.json}. The dimensions come from the weights, heads / activation / epsilon from the source graph.
 */
record BertSettings(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads, int intermediateSize,
                    String hiddenAct, double layerNormEps, int maxPositionEmbeddings, int typeVocabSize, int padTokenId) {

    BertSettings {
        if (numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " is not divisible by " + numAttentionHeads + " heads");
        }
    }

    BertSettings withPadTokenId(int id) {
        return new BertSettings(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize, hiddenAct,
                layerNormEps, maxPositionEmbeddings, typeVocabSize, id);
    }

    /** The JSON transformers writes for a BertModel (dropout values are training-only: BERT's defaults). */
    JsonObject toJson() {
        JsonObject o = new JsonObject();
        com.google.gson.JsonArray architectures = new com.google.gson.JsonArray();
        architectures.add("BertModel");
        o.add("architectures", architectures);
        o.addProperty("model_type", "bert");
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("num_hidden_layers", numHiddenLayers);
        o.addProperty("num_attention_heads", numAttentionHeads);
        o.addProperty("intermediate_size", intermediateSize);
        o.addProperty("hidden_act", hiddenAct);
        o.addProperty("hidden_dropout_prob", 0.1);
        o.addProperty("attention_probs_dropout_prob", 0.1);
        o.addProperty("max_position_embeddings", maxPositionEmbeddings);
        o.addProperty("type_vocab_size", typeVocabSize);
        o.addProperty("initializer_range", 0.02);
        o.addProperty("layer_norm_eps", layerNormEps);
        o.addProperty("pad_token_id", padTokenId);
        o.addProperty("position_embedding_type", "absolute");
        return o;
    }

    void write(Path configJson) throws IOException {
        Files.writeString(configJson, new GsonBuilder().setPrettyPrinting().create().toJson(toJson()) + "\n", StandardCharsets.UTF_8);
    }
}
