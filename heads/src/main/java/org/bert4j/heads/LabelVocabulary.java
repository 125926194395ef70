package org.bert4j.heads;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The ordered label names of a head: index i of its logits means {@code label(i)}. Immutable. */
public final class LabelVocabulary {

    private final List<String> labels;
    private final Map<String, Integer> index;

    /** A vocabulary in the given order; duplicates or blanks are an error. */
    public LabelVocabulary(List<String> labels) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("a label vocabulary needs at least one label");
        }
        this.labels = List.copyOf(labels);
        this.index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("blank label at index " + i);
            }
            if (index.putIfAbsent(label, i) != null) {
                throw new IllegalArgumentException("duplicate label '" + label + "'");
            }
        }
    }

    /** The distinct labels seen in data, sorted, so the order does not depend on the data's order. */
    public static LabelVocabulary fromData(Collection<String> seen) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String label : seen) {
            if (label != null) {
                sorted.add(label);
            }
        }
        return new LabelVocabulary(List.copyOf(sorted));
    }

    /** The number of labels. */
    public int size() {
        return labels.size();
    }

    /** The label at {@code i}. */
    public String label(int i) {
        return labels.get(i);
    }

    /** The index of {@code label}; an unknown label is an error that lists the known ones. */
    public int index(String label) {
        Integer i = index.get(label);
        if (i == null) {
            throw new IllegalArgumentException("unknown label '" + label + "' (known: " + labels + ")");
        }
        return i;
    }

    /** Whether {@code label} is in the vocabulary. */
    public boolean contains(String label) {
        return index.containsKey(label);
    }

    /** The labels in index order. */
    public List<String> labels() {
        return labels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelVocabulary other && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return labels.toString();
    }

    /** Whether every label in {@code others} is known. */
    public boolean containsAll(Collection<String> others) {
        return labels.containsAll(new HashSet<>(others));
    }
}
