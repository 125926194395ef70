package org.bert4j.heads.train;

import org.bert4j.heads.ClassificationHead;
import org.bert4j.heads.Head;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.TokenClassificationHead;
import org.bert4j.heads.metrics.ClassificationMetrics;
import org.bert4j.heads.metrics.EntityMetrics;

import org.bert4j.heads.data.EntitySpan;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.Entity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Scores a head on features: accuracy and macro-F1 of the arg-max class, or seqeval entity scores over the
 * labelled (first sub-)tokens, which is how Hugging Face's {@code run_ner.py} evaluates.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * Scores {@code model}'s head {@code task} on examples: runs the backbone over them (reading and writing
     * {@code featureCache} when not null) and compares the head's arg-max with the examples' labels or entities.
     */
    public static TaskMetrics evaluate(MultiTaskModel model, String task, List<Example> examples, int batchSize,
                                       Path featureCache, String classificationMetric,
                                       BiConsumer<Integer, Integer> progress) throws IOException {
        Head head = model.head(task);
        TaskFeatures features = FeatureExtractor.extract(model.backbone(),
                List.of(new FeatureExtractor.Request(head, examples)), batchSize,
                featureCache == null ? null : new FeatureStore(featureCache), progress).getFirst();
        return evaluate(head, features, classificationMetric);
    }

    /**
     * End-to-end entity scores over character spans: the head's entities as a user gets them (aggregated with
     * {@code strategy}, null for the head's own) against the examples' gold spans, exact (type, start, end) matches.
     */
    public static EntityMetrics entitySpans(MultiTaskModel model, String task, List<Example> examples,
                                            AggregationStrategy strategy) {
        List<List<Entity>> predicted = model.entities(examples.stream().map(Example::text).toList(), task, strategy);
        List<List<EntitySpan>> gold = new ArrayList<>();
        for (Example example : examples) {
            if (!example.hasEntities()) {
                throw new IllegalArgumentException((example.line() > 0 ? "line " + example.line() : "an example")
                        + " has no entity annotations to score against");
            }
            gold.add(example.entities());
        }
        List<List<EntitySpan>> predictedSpans = new ArrayList<>();
        for (List<Entity> entities : predicted) {
            predictedSpans.add(entities.stream().map(e -> new EntitySpan(e.start(), e.end(), e.label())).toList());
        }
        return EntityMetrics.ofSpans(gold, predictedSpans, EntitySpan::label, EntitySpan::start, EntitySpan::end);
    }

    /** The head's metrics on {@code features}; {@code classificationMetric} picks the score (macro_f1 or accuracy). */
    public static TaskMetrics evaluate(Head head, TaskFeatures features, String classificationMetric) {
        return switch (head) {
            case ClassificationHead c -> {
                ClassificationMetrics m = classification(c, features);
                yield new TaskMetrics(c.name(), m, null, classificationMetric.equals("accuracy") ? m.accuracy() : m.macroF1());
            }
            case TokenClassificationHead t -> {
                EntityMetrics m = entities(t, features);
                yield new TaskMetrics(t.name(), null, m, m.f1());
            }
        };
    }

    /** Classification metrics of a head on features. */
    public static ClassificationMetrics classification(ClassificationHead head, TaskFeatures features) {
        int n = features.size();
        int[] gold = new int[n];
        int[] predicted = new int[n];
        for (int e = 0; e < n; e++) {
            gold[e] = features.targets()[e][0];
            predicted[e] = argMaxRows(head, features.inputs()[e], 1)[0];
        }
        return ClassificationMetrics.of(gold, predicted, head.labels().labels());
    }

    /** Entity metrics of a token-classification head on features. */
    public static EntityMetrics entities(TokenClassificationHead head, TaskFeatures features) {
        List<List<String>> gold = new ArrayList<>();
        List<List<String>> predicted = new ArrayList<>();
        for (int e = 0; e < features.size(); e++) {
            int[] targets = features.targets()[e];
            int[] best = argMaxRows(head, features.inputs()[e], targets.length);
            List<String> g = new ArrayList<>();
            List<String> p = new ArrayList<>();
            for (int r = 0; r < targets.length; r++) {
                g.add(head.labels().label(targets[r]));
                p.add(head.labels().label(best[r]));
            }
            gold.add(g);
            predicted.add(p);
        }
        return EntityMetrics.of(gold, predicted);
    }

    private static int[] argMaxRows(Head head, float[] inputs, int rows) {
        int k = head.labels().size();
        double[] logits = head.logits(inputs, rows);
        int[] best = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 1; c < k; c++) {
                if (logits[r * k + c] > logits[r * k + best[r]]) {
                    best[r] = c;
                }
            }
        }
        return best;
    }
}
