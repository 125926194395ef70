package org.bert4j.heads;

import org.bert4j.engine.BertModelOutput;
import org.bert4j.folder.Pooling;
import org.bert4j.folder.TaskConfig;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.Entity;
import org.bert4j.heads.ner.EntityAggregator;
import org.bert4j.heads.ner.TagScheme;
import org.bert4j.heads.train.CrossEntropy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One backbone, any number of named heads: the seed's {@code MultiTaskBERT} with {@code forward(..., task=...)}
 * as {@link #predict(List, String)} and a single backbone pass for every head as {@link #predictAll(List)}.
 *
 * <p>Predicting is safe from several threads at once; adding heads or training is not (do it before sharing).
 */
public final class MultiTaskModel implements AutoCloseable {

    private static final Pattern HEAD_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final Backbone backbone;
    private final Map<String, Head> heads = new LinkedHashMap<>();
    private int batchSize = 32;

    private MultiTaskModel(Backbone backbone) {
        this.backbone = backbone;
    }

    /** A model with no heads yet on {@code backbone}. */
    public static MultiTaskModel on(Backbone backbone) {
        return new MultiTaskModel(backbone);
    }

    /** Loads heads saved by {@link #save(Path)} onto {@code backbone}, checking every head's width against it. */
    public static MultiTaskModel load(Path folder, Backbone backbone) throws IOException {
        MultiTaskModel model = new MultiTaskModel(backbone);
        for (Head head : HeadsFolder.read(folder, backbone)) {
            model.addHead(head);
        }
        return model;
    }

    /**
     * Loads a saved folder together with the backbone its {@code heads.json} names ({@code bundled:<name>} or a model
     * folder path, relative paths taken from {@code folder}), at the max length it was trained with; or a Hugging Face
     * task model folder ({@link #loadPretrained}).
     */
    public static MultiTaskModel load(Path folder) throws IOException {
        return load(folder, org.bert4j.engine.EngineOptions.defaults());
    }

    /**
     * As {@link #load(Path)}, with engine options (threads, GEMM backend) for the backbone. A folder without
     * {@code heads.json} whose {@code config.json} declares a Hugging Face task head is loaded as
     * {@link #loadPretrained} does.
     */
    public static MultiTaskModel load(Path folder, org.bert4j.engine.EngineOptions options) throws IOException {
        if (!Files.exists(folder.resolve(HeadsFolder.JSON)) && Files.isRegularFile(folder.resolve("config.json"))) {
            if (PretrainedHead.architectureOf(folder) != null) {
                return loadPretrained(folder, options);
            }
            throw new IOException(folder + ": neither a saved heads folder (no " + HeadsFolder.JSON + ") nor a task model:"
                    + " config.json's architectures " + TaskConfig.read(folder.resolve("config.json")).architectures()
                    + " names no " + TaskConfig.SEQUENCE_CLASSIFICATION + " or " + TaskConfig.TOKEN_CLASSIFICATION);
        }
        HeadsFolder.BackboneReference saved = HeadsFolder.backboneOf(folder);
        BertBackbone backbone = BertBackbone.fromReference(saved.reference(), folder, saved.maxLength(), options);
        try {
            return load(folder, backbone);
        } catch (IOException | RuntimeException e) {
            backbone.close();
            throw e;
        }
    }

    /**
     * A Hugging Face task model folder ({@code BertForSequenceClassification} or {@code BertForTokenClassification},
     * converted by {@code bert4j convert} or saved by transformers as safetensors): its backbone with its one head,
     * named {@value PretrainedHead#NAME}, labelled by {@code id2label}. Texts are truncated at the folder's default
     * length (the tokenizer's {@code model_max_length}).
     */
    public static MultiTaskModel loadPretrained(Path modelDir, org.bert4j.engine.EngineOptions options)
            throws IOException {
        BertBackbone backbone = BertBackbone.open(modelDir, 0, options);
        try {
            MultiTaskModel model = new MultiTaskModel(backbone);
            model.addHead(PretrainedHead.read(modelDir, backbone.hiddenSize()));
            return model;
        } catch (IOException | RuntimeException e) {
            backbone.close();
            throw e;
        }
    }

    /**
     * Saves the heads (weights as safetensors, kinds and labels as JSON, the backbone's reference) into {@code folder}.
     * Each file is replaced atomically but the pair is not: to replace a saved folder safely, save into a new sibling
     * folder and rename it, as {@code bert4j train} does.
     */
    public void save(Path folder) throws IOException {
        HeadsFolder.write(folder, backbone, backbone.reference(), List.copyOf(heads.values()));
    }

    /**
     * {@link #save(Path)}, recording {@code backboneReference} instead of the backbone's own reference: a path
     * relative to {@code folder}, for a backbone trained with the heads and saved beside them.
     */
    public void save(Path folder, String backboneReference) throws IOException {
        HeadsFolder.write(folder, backbone, backboneReference, List.copyOf(heads.values()));
    }

    /** Adds a classification head over {@code labels} (kept in the given order), weights drawn with {@code seed}. */
    public ClassificationHead addClassificationHead(String name, List<String> labels, Pooling pooling, long seed) {
        ClassificationHead head = ClassificationHead.create(name, new LabelVocabulary(labels), pooling,
                backbone.hiddenSize(), seed);
        addHead(head);
        return head;
    }

    /** Adds a token-classification head for these entity types tagged in {@code scheme}, weights drawn with {@code seed}. */
    public TokenClassificationHead addTokenClassificationHead(String name, Collection<String> entityTypes,
                                                             TagScheme scheme, long seed) {
        SortedSet<String> types = new TreeSet<>(entityTypes);
        TokenClassificationHead head = TokenClassificationHead.create(name, new LabelVocabulary(scheme.labels(types)),
                scheme, AggregationStrategy.FIRST, backbone.hiddenSize(), seed);
        addHead(head);
        return head;
    }

    /** Adds a ready head; its name must be new and its input width the backbone's hidden size. */
    public void addHead(Head head) {
        if (!HEAD_NAME.matcher(head.name()).matches()) {
            throw new IllegalArgumentException("head name '" + head.name() + "' must be letters, digits, '_' or '-'");
        }
        if (heads.containsKey(head.name())) {
            throw new IllegalArgumentException("a head named '" + head.name() + "' already exists");
        }
        if (head.inputWidth() != backbone.hiddenSize()) {
            throw new IllegalArgumentException("head '" + head.name() + "' takes " + head.inputWidth()
                    + "-wide inputs but the backbone's hidden size is " + backbone.hiddenSize());
        }
        if (head instanceof ClassificationHead c && c.pooler() && backbone instanceof BertBackbone bert
                && !bert.model().hasPooler()) {
            throw new IllegalArgumentException("head '" + head.name() + "' reads BERT's pooler output, but the backbone "
                    + backbone.reference() + " has no pooler (no pooler.dense tensors)");
        }
        heads.put(head.name(), head);
    }

    /** The head named {@code task}; an unknown name is an error listing the heads there are. */
    public Head head(String task) {
        Head head = heads.get(task);
        if (head == null) {
            throw new IllegalArgumentException("no head named '" + task + "' (heads: " + heads.keySet() + ")");
        }
        return head;
    }

    /** The heads by name, in the order they were added. */
    public Map<String, Head> heads() {
        return Collections.unmodifiableMap(heads);
    }

    /** The shared backbone. */
    public Backbone backbone() {
        return backbone;
    }

    /** How many texts go through the backbone at once when predicting (default 32). */
    public MultiTaskModel withBatchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** One task's predictions, one per text: the seed's {@code forward(..., task=...)} made readable. */
    public List<Prediction> predict(List<String> texts, String task) {
        Head head = head(task);
        List<Prediction> out = new ArrayList<>(texts.size());
        for (Map<String, Prediction> perText : run(texts, List.of(head), null, null)) {
            out.add(perText.get(task));
        }
        return out;
    }

    /** Every head's prediction for every text, from one backbone pass per batch: one map (head → prediction) per text. */
    public List<Map<String, Prediction>> predictAll(List<String> texts) {
        return run(texts, List.copyOf(heads.values()), null, null);
    }

    /** A classification head's predictions, scored by the head's own {@link ClassificationHead#function()}. */
    public List<ClassPrediction> classify(List<String> texts, String task) {
        return classify(texts, task, null);
    }

    /**
     * A classification head's predictions with the scores {@code function} makes of the logits (null: the head's
     * own), as Hugging Face's pipeline takes {@code function_to_apply}; with NONE the scores are the logits.
     */
    public List<ClassPrediction> classify(List<String> texts, String task, ClassificationFunction function) {
        requireKind(task, HeadKind.CLASSIFICATION);
        List<ClassPrediction> out = new ArrayList<>(texts.size());
        for (Map<String, Prediction> perText : run(texts, List.of(head(task)), null, function)) {
            out.add((ClassPrediction) perText.get(task));
        }
        return out;
    }

    /** A token-classification head's entities, aggregated with the head's own strategy. */
    public List<List<Entity>> entities(List<String> texts, String task) {
        return entities(texts, task, null);
    }

    /** A token-classification head's entities with the given aggregation strategy (null: the head's). */
    public List<List<Entity>> entities(List<String> texts, String task, AggregationStrategy strategy) {
        requireKind(task, HeadKind.TOKEN_CLASSIFICATION);
        List<List<Entity>> out = new ArrayList<>(texts.size());
        for (Map<String, Prediction> perText : run(texts, List.of(head(task)), strategy, null)) {
            out.add(((EntitiesPrediction) perText.get(task)).entities());
        }
        return out;
    }

    private void requireKind(String task, HeadKind kind) {
        if (head(task).kind() != kind) {
            throw new IllegalArgumentException("head '" + task + "' is a " + head(task).kind().id() + " head, not "
                    + kind.id());
        }
    }

    private List<Map<String, Prediction>> run(List<String> texts, List<Head> selected, AggregationStrategy strategy,
                                              ClassificationFunction function) {
        List<Map<String, Prediction>> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<Tokens> batch = new ArrayList<>();
            for (String text : texts.subList(from, Math.min(texts.size(), from + batchSize))) {
                if (text == null) {
                    throw new IllegalArgumentException("text " + (from + batch.size()) + " is null");
                }
                batch.add(backbone.tokenize(text));
            }
            BertModelOutput output = backbone.forward(batch);
            for (int s = 0; s < batch.size(); s++) {
                Map<String, Prediction> perText = new LinkedHashMap<>();
                for (Head head : selected) {
                    perText.put(head.name(), switch (head) {
                        case ClassificationHead c -> classPrediction(c, c.pool(output, s),
                                function == null ? c.function() : function);
                        case TokenClassificationHead t -> new EntitiesPrediction(entities(t, output, s, batch.get(s),
                                strategy == null ? t.aggregation() : strategy));
                    });
                }
                out.add(perText);
            }
        }
        return out;
    }

    static ClassPrediction classPrediction(ClassificationHead head, float[] pooled, ClassificationFunction function) {
        double[] probabilities = function.apply(head.logits(pooled, 1));
        Map<String, Double> byLabel = new LinkedHashMap<>();
        int best = 0;
        for (int c = 0; c < probabilities.length; c++) {
            byLabel.put(head.labels().label(c), probabilities[c]);
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        return new ClassPrediction(head.labels().label(best), probabilities[best], byLabel);
    }

    private static List<Entity> entities(TokenClassificationHead head, BertModelOutput output, int sequence, Tokens tokens,
                                         AggregationStrategy strategy) {
        int rows = output.sequenceLengths()[sequence];
        float[] states = output.sequence(sequence);
        double[][] probabilities = CrossEntropy.softmaxRows(head.logits(states, rows), rows, head.labels().size());
        return EntityAggregator.aggregate(tokens.text(), probabilities, head.labels().labels(), tokens.offsetStarts(),
                tokens.offsetEnds(), tokens.wordIds(), strategy);
    }

    /** Closes the backbone. */
    @Override
    public void close() {
        backbone.close();
    }
}
