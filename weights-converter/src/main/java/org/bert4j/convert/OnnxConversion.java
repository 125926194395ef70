package org.bert4j.convert;

import org.bert4j.folder.SentenceTransformerConfig;
import org.bert4j.folder.BertConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bert4j.convert.onnx.OnnxBertImporter;
import org.bert4j.convert.onnx.OnnxModel;
import org.bert4j.safetensors.Tensor;

/** ONNX export → model folder: weights from {@link OnnxBertImporter}, config from weights + graph, tokenizer files. */
final class OnnxConversion {

    private OnnxConversion() {}

    /** The weights and hyper-parameters of {@code model}; heads come from the graph or {@code options}. */
    static ImportedModel read(OnnxModel model, ConvertOptions options) throws ConversionException {
        options.progress().progress("reading", 0, 1);
        List<OnnxBertImporter.Weight> weights = OnnxBertImporter.weights(model);
        Map<String, Tensor> byName = new LinkedHashMap<>();
        List<Tensor> tensors = new ArrayList<>();
        for (OnnxBertImporter.Weight w : weights) {
            byName.put(w.hfName(), w.tensor());
            tensors.add(w.tensor());
        }
        BertLayout.Dimensions dims = BertLayout.check(model.source(), byName);
        OnnxBertImporter.GraphFacts facts = OnnxBertImporter.facts(model, dims.hiddenSize(), options.numAttentionHeads());
        // The shortest decimal of the float epsilon (1e-12, not 9.99999996e-13): what config.json had before export.
        double eps = Double.parseDouble(Float.toString(facts.layerNormEps()));
        // The dimensions come from the weights, heads / activation / epsilon from the graph; dropout and the
        // initializer range are training-only and take BERT's defaults.
        BertConfig settings;
        try {
            settings = new BertConfig("bert", dims.vocabSize(), dims.hiddenSize(), dims.layers(),
                    facts.numAttentionHeads(), dims.intermediateSize(), facts.hiddenAct(), dims.maxPositions(),
                    dims.typeVocabSize(), eps, 0, "absolute", 0.1, 0.1, 0.02);
        } catch (IllegalArgumentException e) {
            // A value read off the graph that no BERT has: a negative LayerNorm epsilon, say (found by OnnxFuzzTest).
            throw new ConversionException(model.source() + ": the graph describes no valid BERT: " + e.getMessage(), e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("converted_by", "bert4j");
        metadata.put("source", Path.of(model.source()).getFileName().toString());
        metadata.put("source_producer", model.producer());
        options.progress().progress("reading", 1, 1);
        return new ImportedModel(tensors, settings, metadata);
    }

    /** Writes the whole folder into {@code dir}. */
    static void write(Path dir, ImportedModel imported, TokenizerSource tokenizer, SentenceTransformerConfig pooling, ConvertOptions options)
            throws IOException {
        BertConfig settings = imported.settings();
        int padId = tokenizer.padTokenId();
        VocabularyFit.check(tokenizer.describe(), tokenizer.vocabSize(), settings.vocabSize(), options.warnings());
        ModelFolder.writeWeights(dir, imported.tensors(), imported.metadata(), options);
        settings.withPadTokenId(padId).write(dir.resolve("config.json"));
        tokenizer.writeInto(dir, settings.maxPositionEmbeddings());
        SentenceTransformerConfig chosen = options.pooling() != null ? options.pooling() : pooling;
        if (chosen != null) {
            chosen.write(dir, settings.hiddenSize());
        }
    }
}
