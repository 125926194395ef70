package org.bert4j.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bert4j.safetensors.Tensor;

/**
 * The parameter names and shapes of Hugging Face's {@code BertModel} (modeling_bert.py), used to check that a
 * converted checkpoint is complete and to read its dimensions off the weights.
 */
final class BertLayout {

    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    /** Per-layer parameters of BertLayer: self-attention, its output projection, the feed-forward block. */
    static final List<String> LAYER_PARAMETERS = List.of(
            "attention.self.query.weight", "attention.self.query.bias",
            "attention.self.key.weight", "attention.self.key.bias",
            "attention.self.value.weight", "attention.self.value.bias",
            "attention.output.dense.weight", "attention.output.dense.bias",
            "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
            "intermediate.dense.weight", "intermediate.dense.bias",
            "output.dense.weight", "output.dense.bias",
            "output.LayerNorm.weight", "output.LayerNorm.bias");

    static final List<String> EMBEDDING_PARAMETERS = List.of(
            "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
            "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias");

    private static final Pattern LAYER_PARAMETER = Pattern.compile("^encoder\\.layer\\.\\d+\\.(.+)$");

    private BertLayout() {}

    /**
     * A parameter's current name: TensorFlow-era checkpoints call LayerNorm's scale and shift {@code gamma} and
     * {@code beta}; transformers renames keys ending in {@code LayerNorm.gamma}/{@code LayerNorm.beta} when loading
     * ({@code PreTrainedModel._fix_state_dict_key_on_load}), and only those.
     */
    static String modernName(String name) {
        if (name.endsWith("LayerNorm.gamma")) {
            return name.substring(0, name.length() - "gamma".length()) + "weight";
        }
        if (name.endsWith("LayerNorm.beta")) {
            return name.substring(0, name.length() - "beta".length()) + "bias";
        }
        return name;
    }

    /** The names among {@code names} that are not parameters of BertModel (embeddings, encoder layers, pooler). */
    static List<String> notInBertModel(java.util.Collection<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            Matcher layer = LAYER_PARAMETER.matcher(name);
            boolean known = EMBEDDING_PARAMETERS.contains(name) || name.equals("pooler.dense.weight")
                    || name.equals("pooler.dense.bias") || layer.matches() && LAYER_PARAMETERS.contains(layer.group(1));
            if (!known) {
                out.add(name);
            }
        }
        return out;
    }

    /** Up to eight names for a message, and how many more there are. */
    static String listed(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(8, names.size())))
                + (names.size() > 8 ? " and " + (names.size() - 8) + " more" : "");
    }

    /** Dimensions read from the weights alone. */
    record Dimensions(int vocabSize, int hiddenSize, int layers, int intermediateSize, int maxPositions, int typeVocabSize) {}

    /** Checks every BertModel parameter is present with a consistent shape and returns the dimensions. */
    static Dimensions check(String source, Map<String, Tensor> byName) throws ConversionException {
        for (String name : EMBEDDING_PARAMETERS) {
            require(source, byName, name);
        }
        int vocab = dimension(source, byName, "embeddings.word_embeddings.weight", 0);
        int hidden = dimension(source, byName, "embeddings.word_embeddings.weight", 1);
        int maxPositions = dimension(source, byName, "embeddings.position_embeddings.weight", 0);
        int typeVocab = dimension(source, byName, "embeddings.token_type_embeddings.weight", 0);
        int layers = 0;
        for (String name : byName.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                // Each layer has 16 tensors: an index beyond the tensor count names a layer that cannot be complete,
                // and would have this check walk billions of missing layers (or overflow an int).
                if (m.group(1).length() > 9 || Integer.parseInt(m.group(1)) >= byName.size()) {
                    throw new ConversionException(source + ": " + name + " names layer " + m.group(1) + " of a checkpoint of "
                            + byName.size() + " tensors");
                }
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (layers == 0) {
            throw new ConversionException(source + ": no encoder.layer.N.* weights found");
        }
        require(source, byName, "encoder.layer.0.intermediate.dense.weight");
        int intermediate = dimension(source, byName, "encoder.layer.0.intermediate.dense.weight", 0);
        if (vocab == 0 || hidden == 0 || maxPositions == 0 || typeVocab == 0 || intermediate == 0) {
            throw new ConversionException(source + ": an empty dimension (vocab " + vocab + ", hidden " + hidden + ", positions "
                    + maxPositions + ", token types " + typeVocab + ", intermediate " + intermediate + ")");
        }
        List<String> problems = new ArrayList<>();
        expect(byName, "embeddings.position_embeddings.weight", problems, maxPositions, hidden);
        expect(byName, "embeddings.token_type_embeddings.weight", problems, typeVocab, hidden);
        expect(byName, "embeddings.LayerNorm.weight", problems, hidden);
        expect(byName, "embeddings.LayerNorm.bias", problems, hidden);
        for (int l = 0; l < layers; l++) {
            String p = "encoder.layer." + l + ".";
            for (String q : List.of("query", "key", "value")) {
                expect(byName, p + "attention.self." + q + ".weight", problems, hidden, hidden);
                expect(byName, p + "attention.self." + q + ".bias", problems, hidden);
            }
            expect(byName, p + "attention.output.dense.weight", problems, hidden, hidden);
            expect(byName, p + "attention.output.dense.bias", problems, hidden);
            expect(byName, p + "attention.output.LayerNorm.weight", problems, hidden);
            expect(byName, p + "attention.output.LayerNorm.bias", problems, hidden);
            expect(byName, p + "intermediate.dense.weight", problems, intermediate, hidden);
            expect(byName, p + "intermediate.dense.bias", problems, intermediate);
            expect(byName, p + "output.dense.weight", problems, hidden, intermediate);
            expect(byName, p + "output.dense.bias", problems, hidden);
            expect(byName, p + "output.LayerNorm.weight", problems, hidden);
            expect(byName, p + "output.LayerNorm.bias", problems, hidden);
        }
        if (byName.containsKey("pooler.dense.weight")) {
            expect(byName, "pooler.dense.weight", problems, hidden, hidden);
            expect(byName, "pooler.dense.bias", problems, hidden);
        }
        if (!problems.isEmpty()) {
            throw new ConversionException(source + ": not a complete BERT checkpoint (" + layers + " layers, hidden " + hidden
                    + "): " + String.join("; ", problems.subList(0, Math.min(8, problems.size())))
                    + (problems.size() > 8 ? "; and " + (problems.size() - 8) + " more" : ""));
        }
        return new Dimensions(vocab, hidden, layers, intermediate, maxPositions, typeVocab);
    }

    /** Dimension {@code d} of a two-dimensional parameter, as an int. */
    private static int dimension(String source, Map<String, Tensor> byName, String name, int d) throws ConversionException {
        long[] shape = byName.get(name).shape();
        if (shape.length != 2 || shape[d] > Integer.MAX_VALUE) {
            throw new ConversionException(source + ": " + name + " has shape " + java.util.Arrays.toString(shape)
                    + ", not [rows, columns] of int size");
        }
        return (int) shape[d];
    }

    private static void require(String source, Map<String, Tensor> byName, String name) throws ConversionException {
        if (!byName.containsKey(name)) {
            throw new ConversionException(source + ": the checkpoint has no " + name + " (is it a BERT model?)");
        }
    }

    private static void expect(Map<String, Tensor> byName, String name, List<String> problems, long... shape) {
        Tensor t = byName.get(name);
        if (t == null) {
            problems.add(name + " is missing");
        } else if (!java.util.Arrays.equals(t.shape(), shape)) {
            problems.add(name + " has shape " + java.util.Arrays.toString(t.shape()) + ", expected " + java.util.Arrays.toString(shape));
        }
    }
}
