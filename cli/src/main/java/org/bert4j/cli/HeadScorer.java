package org.bert4j.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bert4j.heads.ClassPrediction;
import org.bert4j.heads.ClassificationHead;
import org.bert4j.heads.LabelVocabulary;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.TokenClassificationHead;
import org.bert4j.heads.data.EntitySpan;
import org.bert4j.heads.data.Example;
import org.bert4j.heads.metrics.ClassificationMetrics;
import org.bert4j.heads.metrics.EntityMetrics;
import org.bert4j.heads.ner.AggregationStrategy;
import org.bert4j.heads.ner.Entity;
import org.bert4j.heads.ner.TagChunks;
import org.bert4j.heads.ner.TagScheme;
import org.bert4j.heads.ner.TokenLabels;

/**
 * Scores a head on labelled examples by what {@code classify} and {@code ner} would print for them: the top label,
 * or the aggregated entities matched to the gold ones exactly (type, start, end), as seqeval counts chunks.
 */
final class HeadScorer {
    private HeadScorer() {}

    /** Classification scores; {@code unknownLabels} counts gold labels the head cannot predict (scored as misses). */
    record ClassificationScore(String head, ClassificationMetrics metrics, Map<String, Integer> unknownLabels) {
    }

    /**
     * NER scores: entity metrics over character spans; tag accuracy over whitespace-separated words; gold entity
     * types the head has no tag for; texts cut at the backbone's max length (their later entities count as missed).
     */
    record EntityScore(String head, int examples, EntityMetrics metrics, int words, int correctWords,
                       Map<String, Integer> unknownTypes, int truncated) {
        double tokenAccuracy() {
            return words == 0 ? 0 : (double) correctWords / words;
        }
    }

    static ClassificationScore classification(MultiTaskModel model, String head, List<Example> examples, int batchSize,
                                              ProgressBar bar) {
        LabelVocabulary known = ((ClassificationHead) model.head(head)).labels();
        Map<String, Integer> unknown = new TreeMap<>();
        for (Example example : examples) {
            if (!known.contains(example.label())) {
                unknown.merge(example.label(), 1, Integer::sum);
            }
        }
        // Unknown labels become extra classes the head never predicts: every such example is an error, and the
        // class shows up with recall 0 in the table and in macro-F1, as scikit-learn would score it.
        List<String> labels = new ArrayList<>(known.labels());
        labels.addAll(unknown.keySet());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        int[] gold = new int[examples.size()];
        int[] predicted = new int[examples.size()];
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<Example> batch = examples.subList(from, Math.min(examples.size(), from + batchSize));
            List<ClassPrediction> predictions = model.classify(batch.stream().map(Example::text).toList(), head);
            for (int i = 0; i < batch.size(); i++) {
                gold[from + i] = index.get(batch.get(i).label());
                predicted[from + i] = index.get(predictions.get(i).label());
            }
            bar.advance(batch.size());
        }
        return new ClassificationScore(head, ClassificationMetrics.of(gold, predicted, labels), unknown);
    }

    /** {@code strategy}: how tokens become entities, null for the head's own (what {@code ner} uses by default). */
    static EntityScore entities(MultiTaskModel model, String head, List<Example> examples, AggregationStrategy strategy,
                                int batchSize, ProgressBar bar) {
        TokenClassificationHead tagger = (TokenClassificationHead) model.head(head);
        // Strategy none labels each token with its full tag (B-PER); the others with the entity type (PER).
        boolean fullTags = (strategy == null ? tagger.aggregation() : strategy) == AggregationStrategy.NONE;
        Set<String> headTypes = new TreeSet<>();
        tagger.labels().labels().stream().filter(l -> !l.equals("O")).forEach(l -> headTypes.add(TagChunks.type(l)));
        Map<String, Integer> unknown = new TreeMap<>();
        SortedSet<String> types = new TreeSet<>(headTypes);
        List<List<EntitySpan>> gold = new ArrayList<>();
        List<List<EntitySpan>> predicted = new ArrayList<>();
        int truncated = 0;
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<Example> batch = examples.subList(from, Math.min(examples.size(), from + batchSize));
            List<List<Entity>> found = model.entities(batch.stream().map(Example::text).toList(), head, strategy);
            for (int i = 0; i < batch.size(); i++) {
                Example example = batch.get(i);
                for (EntitySpan span : example.entities()) {
                    types.add(span.label());
                    if (!headTypes.contains(span.label())) {
                        unknown.merge(span.label(), 1, Integer::sum);
                    }
                }
                List<EntitySpan> spans = new ArrayList<>();
                for (Entity entity : found.get(i)) {
                    spans.add(new EntitySpan(entity.start(), entity.end(),
                            fullTags ? TagChunks.type(entity.label()) : entity.label()));
                }
                gold.add(example.entities());
                predicted.add(spans);
                if (model.backbone().tokenize(example.text()).length() >= model.backbone().maxLength()) {
                    truncated++;
                }
            }
            bar.advance(batch.size());
        }
        // A tag for every type on either side, so gold words of a type the head lacks can be compared at all.
        LabelVocabulary tags = new LabelVocabulary(tagger.scheme().labels(types));
        int words = 0;
        int correct = 0;
        for (int e = 0; e < examples.size(); e++) {
            String text = examples.get(e).text();
            int[] goldTags = wordTags(text, gold.get(e), tagger.scheme(), tags);
            int[] predictedTags = wordTags(text, predicted.get(e), tagger.scheme(), tags);
            for (int w = 0; w < goldTags.length; w++) {
                words++;
                correct += goldTags[w] == predictedTags[w] ? 1 : 0;
            }
        }
        EntityMetrics metrics = EntityMetrics.ofSpans(gold, predicted, EntitySpan::label, EntitySpan::start,
                EntitySpan::end);
        return new EntityScore(head, examples.size(), metrics, words, correct, unknown, truncated);
    }

    /**
     * One tag per whitespace-separated word (for CoNLL data: its tokens, the unit seqeval's accuracy counts), from
     * {@code spans} as training labels words: a word overlapping an entity takes its tag, {@code B-} on its first.
     */
    static int[] wordTags(String text, List<EntitySpan> spans, TagScheme scheme, LabelVocabulary tags) {
        List<int[]> ranges = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean space = i == text.length() || Character.isWhitespace(text.charAt(i));
            if (!space && start < 0) {
                start = i;
            } else if (space && start >= 0) {
                ranges.add(new int[] {start, i});
                start = -1;
            }
        }
        int n = ranges.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] wordIds = new int[n];
        for (int w = 0; w < n; w++) {
            starts[w] = ranges.get(w)[0];
            ends[w] = ranges.get(w)[1];
            wordIds[w] = w; // each word is one "token", so every word gets a tag
        }
        return TokenLabels.of(spans, starts, ends, wordIds, scheme, tags);
    }
}
