package org.bert4j.heads.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Examples read from one source, with the annotations that could not be aligned to their text (each
 * naming its line), so a caller can print them or refuse to train.
 */
public record Dataset(String source, List<Example> examples, List<AlignmentIssue> issues) {
    public Dataset {
        examples = List.copyOf(examples);
        issues = List.copyOf(issues);
    }

    /** The number of examples. */
    public int size() {
        return examples.size();
    }

    /** The class labels of the examples, in order (null where an example has none). */
    public List<String> labels() {
        List<String> labels = new ArrayList<>(examples.size());
        for (Example example : examples) {
            labels.add(example.label());
        }
        return labels;
    }

    /** The entity types of the examples' spans, sorted. */
    public java.util.SortedSet<String> entityTypes() {
        java.util.SortedSet<String> types = new java.util.TreeSet<>();
        for (Example example : examples) {
            if (example.entities() != null) {
                for (EntitySpan span : example.entities()) {
                    types.add(span.label());
                }
            }
        }
        return types;
    }

    /** The first {@code n} examples (and the issues of their lines). */
    public Dataset head(int n) {
        List<Example> kept = examples.subList(0, Math.min(n, examples.size()));
        int lastLine = kept.isEmpty() ? 0 : kept.getLast().line();
        return new Dataset(source, kept, issues.stream().filter(i -> i.line() <= lastLine).toList());
    }

    /** The examples from index {@code from} on (and the issues of their lines). */
    public Dataset tail(int from) {
        List<Example> kept = examples.subList(Math.min(from, examples.size()), examples.size());
        int firstLine = kept.isEmpty() ? Integer.MAX_VALUE : kept.getFirst().line();
        return new Dataset(source, kept, issues.stream().filter(i -> i.line() >= firstLine).toList());
    }
}
