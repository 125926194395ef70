package org.bert4j.heads.metrics;

import org.bert4j.heads.ner.TagChunks;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Entity-level precision, recall and F1 as seqeval computes them (default mode, micro average): an entity
 * counts as found only if a predicted chunk has exactly its type, start and end.
 */
public record EntityMetrics(double precision, double recall, double f1, int goldEntities, int predictedEntities,
                            Map<String, Score> perType) {

    /** One type's scores and support (its number of gold entities). */
    public record Score(double precision, double recall, double f1, int support) {
    }

    /** Compares gold and predicted tag sequences, sentence by sentence (each pair must be equally long). */
    public static EntityMetrics of(List<List<String>> gold, List<List<String>> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException(gold.size() + " gold sequences but " + predicted.size() + " predicted");
        }
        Set<Key> goldKeys = new HashSet<>();
        Set<Key> predictedKeys = new HashSet<>();
        for (int s = 0; s < gold.size(); s++) {
            if (gold.get(s).size() != predicted.get(s).size()) {
                throw new IllegalArgumentException("sequence " + s + ": " + gold.get(s).size() + " gold tags but "
                        + predicted.get(s).size() + " predicted");
            }
            for (TagChunks.Chunk c : TagChunks.chunks(gold.get(s))) {
                goldKeys.add(new Key(s, c.type(), c.start(), c.end()));
            }
            for (TagChunks.Chunk c : TagChunks.chunks(predicted.get(s))) {
                predictedKeys.add(new Key(s, c.type(), c.start(), c.end()));
            }
        }
        return fromKeys(goldKeys, predictedKeys);
    }

    /** The same scores over character spans, e.g. aggregated predictions against gold spans: exact match. */
    public static <S> EntityMetrics ofSpans(List<List<S>> gold, List<List<S>> predicted,
                                            java.util.function.Function<S, String> type,
                                            java.util.function.ToIntFunction<S> start,
                                            java.util.function.ToIntFunction<S> end) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException(gold.size() + " gold texts but " + predicted.size() + " predicted");
        }
        Set<Key> goldKeys = new HashSet<>();
        Set<Key> predictedKeys = new HashSet<>();
        for (int s = 0; s < gold.size(); s++) {
            for (S span : gold.get(s)) {
                goldKeys.add(new Key(s, type.apply(span), start.applyAsInt(span), end.applyAsInt(span)));
            }
            for (S span : predicted.get(s)) {
                predictedKeys.add(new Key(s, type.apply(span), start.applyAsInt(span), end.applyAsInt(span)));
            }
        }
        return fromKeys(goldKeys, predictedKeys);
    }

    private record Key(int sequence, String type, int start, int end) {
    }

    private static EntityMetrics fromKeys(Set<Key> goldKeys, Set<Key> predictedKeys) {
        TreeSet<String> types = new TreeSet<>();
        goldKeys.forEach(k -> types.add(k.type()));
        predictedKeys.forEach(k -> types.add(k.type()));
        Map<String, Score> perType = new TreeMap<>();
        for (String type : types) {
            int g = 0;
            int p = 0;
            int tp = 0;
            for (Key k : goldKeys) {
                if (k.type().equals(type)) {
                    g++;
                    if (predictedKeys.contains(k)) {
                        tp++;
                    }
                }
            }
            for (Key k : predictedKeys) {
                if (k.type().equals(type)) {
                    p++;
                }
            }
            perType.put(type, score(tp, p, g));
        }
        int tp = 0;
        for (Key k : goldKeys) {
            if (predictedKeys.contains(k)) {
                tp++;
            }
        }
        Score total = score(tp, predictedKeys.size(), goldKeys.size());
        return new EntityMetrics(total.precision(), total.recall(), total.f1(), goldKeys.size(),
                predictedKeys.size(), perType);
    }

    private static Score score(int truePositive, int predicted, int gold) {
        double precision = predicted == 0 ? 0 : (double) truePositive / predicted;
        double recall = gold == 0 ? 0 : (double) truePositive / gold;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Score(precision, recall, f1, gold);
    }
}
