package org.bert4j.heads.crossencoder;

import org.bert4j.engine.BertModel;
import org.bert4j.engine.BertModelOutput;
import org.bert4j.engine.EngineOptions;
import org.bert4j.engine.ModelInput;
import org.bert4j.folder.CrossEncoderConfig;
import org.bert4j.folder.TaskConfig;
import org.bert4j.heads.ClassificationHead;
import org.bert4j.heads.Head;
import org.bert4j.heads.PretrainedHead;
import org.bert4j.tokenizer.Encoding;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Scores text pairs read together by one BERT, as sentence-transformers' {@code CrossEncoder} does with a
 * one-label {@code BertForSequenceClassification} (the ms-marco rerankers, for example):
 * {@code try (var reranker = CrossEncoder.load(dir)) { reranker.rank(query, documents); }}.
 *
 * <p>Each pair is encoded as {@code [CLS] first [SEP] second [SEP]} with token types 0 and 1, cut longest first to
 * the tokenizer's {@code model_max_length} ({@link ModelInput#encodePair}); its logit is the classifier over the
 * pooler output, and its score that logit through the folder's activation: the one it declares (see
 * {@link CrossEncoderConfig}), else sigmoid, sentence-transformers' default for one label. Predicting is safe from
 * several threads at once.
 */
public final class CrossEncoder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CrossEncoder.class.getName());

    private final BertModel model;
    private final ModelInput input;
    private final ClassificationHead head;
    private final ScoreActivation activation;
    private int batchSize = 32;

    private CrossEncoder(BertModel model, ModelInput input, ClassificationHead head, ScoreActivation activation) {
        this.model = model;
        this.input = input;
        this.head = head;
        this.activation = activation;
    }

    /** Loads a cross-encoder model folder with the default engine options. */
    public static CrossEncoder load(Path modelDir) throws IOException {
        return load(modelDir, EngineOptions.defaults());
    }

    /**
     * Loads a cross-encoder: a model folder whose {@code config.json} declares a one-label
     * {@code BertForSequenceClassification}, converted by {@code bert4j convert} or saved as safetensors.
     */
    public static CrossEncoder load(Path modelDir, EngineOptions options) throws IOException {
        String architecture = PretrainedHead.architectureOf(modelDir);
        if (!TaskConfig.SEQUENCE_CLASSIFICATION.equals(architecture)) {
            throw new IOException(modelDir + ": not a cross-encoder: config.json must declare "
                    + TaskConfig.SEQUENCE_CLASSIFICATION + (architecture == null ? "" : ", not " + architecture));
        }
        ScoreActivation activation = activation(modelDir);
        BertModel model = BertModel.load(modelDir, options);
        try {
            Head head = PretrainedHead.read(modelDir, model.config().hiddenSize());
            if (head.labels().size() != 1) {
                throw new IOException(modelDir + ": a cross-encoder scores each pair with one label, but id2label has "
                        + head.labels().size() + " " + head.labels() + "; classify such a model's texts with"
                        + " 'bert4j classify'");
            }
            return new CrossEncoder(model, ModelInput.of(model, 0), (ClassificationHead) head, activation);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The activation the folder declares, else sigmoid (one label); a class outside torch is ignored, with a notice. */
    private static ScoreActivation activation(Path modelDir) throws IOException {
        Optional<CrossEncoderConfig> declared = CrossEncoderConfig.read(modelDir);
        if (declared.isEmpty()) {
            return ScoreActivation.SIGMOID;
        }
        Optional<ScoreActivation> known;
        try {
            known = ScoreActivation.fromTorchName(declared.get().activationFn());
        } catch (IllegalArgumentException e) {
            throw new IOException(declared.get().declaredIn() + ": " + e.getMessage(), e);
        }
        if (known.isEmpty()) {
            // sentence-transformers does the same without trust_remote_code: warn and use the default.
            LOG.log(System.Logger.Level.WARNING, "bert4j: " + declared.get().declaredIn() + " names "
                    + declared.get().activationFn() + ", which is not a torch class; using sigmoid");
            return ScoreActivation.SIGMOID;
        }
        return known.get();
    }

    /** The score of every pair, in order: the logit through {@link #activation()}. */
    public double[] predict(List<TextPair> pairs) {
        return predict(pairs, activation);
    }

    /** The score of every pair through {@code activation} (IDENTITY: the logits), as {@code predict(activation_fn=)}. */
    public double[] predict(List<TextPair> pairs, ScoreActivation activation) {
        if (pairs == null || activation == null) {
            throw new IllegalArgumentException("pairs and activation must not be null");
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i) == null) {
                throw new IllegalArgumentException("pairs[" + i + "] is null");
            }
        }
        double[] scores = new double[pairs.size()];
        for (int from = 0; from < pairs.size(); from += batchSize) {
            List<TextPair> batch = pairs.subList(from, Math.min(pairs.size(), from + batchSize));
            List<Encoding> encodings = new ArrayList<>(batch.size());
            for (TextPair pair : batch) {
                encodings.add(input.encodePair(pair.first(), pair.second()));
            }
            BertModelOutput output = model.forward(input.pack(encodings));
            for (int s = 0; s < batch.size(); s++) {
                scores[from + s] = activation.apply(head.logits(head.pool(output, s), 1)[0]);
            }
        }
        return scores;
    }

    /** The score of one pair. */
    public double predict(String first, String second) {
        return predict(List.of(new TextPair(first, second)))[0];
    }

    /** Every document scored against {@code query}, best first (equal scores keep the documents' order). */
    public List<RankedDocument> rank(String query, List<String> documents) {
        return rank(query, documents, Integer.MAX_VALUE);
    }

    /** The {@code topK} best documents for {@code query}, best first, as sentence-transformers' {@code rank}. */
    public List<RankedDocument> rank(String query, List<String> documents, int topK) {
        return rank(query, documents, topK, activation);
    }

    /** As {@link #rank(String, List, int)}, scoring through {@code activation}, as {@code rank(activation_fn=)}. */
    public List<RankedDocument> rank(String query, List<String> documents, int topK, ScoreActivation activation) {
        if (query == null || documents == null) {
            throw new IllegalArgumentException("query and documents must not be null");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        List<TextPair> pairs = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i) == null) {
                throw new IllegalArgumentException("documents[" + i + "] is null");
            }
            pairs.add(new TextPair(query, documents.get(i)));
        }
        double[] scores = predict(pairs, activation);
        List<RankedDocument> ranked = new ArrayList<>(documents.size());
        for (int i = 0; i < scores.length; i++) {
            ranked.add(new RankedDocument(i, scores[i], documents.get(i)));
        }
        // List.sort is stable, as Python's sorted(..., reverse=True) is: ties stay in the documents' order.
        ranked.sort(Comparator.comparingDouble(RankedDocument::score).reversed());
        return List.copyOf(ranked.subList(0, Math.min(topK, ranked.size())));
    }

    /** How many pairs go through the model at once (default 32, as sentence-transformers); set it before sharing. */
    public CrossEncoder withBatchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** The activation scores go through by default. */
    public ScoreActivation activation() {
        return activation;
    }

    /** Tokens per pair after truncation, special tokens included. */
    public int maxLength() {
        return input.maxLength();
    }

    /** The underlying model. */
    public BertModel model() {
        return model;
    }

    /** Stops the model's threads and unmaps its weights. */
    @Override
    public void close() {
        model.close();
    }
}
