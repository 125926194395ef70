package org.bert4j.bench.report;

import org.bert4j.training.Parameter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who a benchmark result measures: bert4j itself or one of its peers. A benchmark says so by its method name
 * ({@code bert4j}, {@code onnxruntime}, {@code huggingFace}, optionally followed by a variant, e.g.
 * {@code bert4jInt8}) or by a parameter named {@code impl}, {@code engine}, {@code runtime}, {@code library} or
 * {@code tokenizer}.
 */
public enum Subject {
    BERT4J("bert4j", List.of("bert4j", "ours")),
    ONNXRUNTIME("onnxruntime", List.of("onnxruntime", "onnx", "ort")),
    HF_TOKENIZERS("HF tokenizers", List.of("huggingface", "hf", "djl", "rust"));

    /** Parameter names that say which implementation ran. */
    static final List<String> PARAMS = List.of("impl", "engine", "runtime", "library", "tokenizer");

    private final String label;
    private final List<String> words;

    Subject(String label, List<String> words) {
        this.label = label;
        this.words = words;
    }

    /** The name the report prints. */
    public String label() {
        return label;
    }

    /** What a result measures, and the rest of its method name (its variant), if it says. */
    static Optional<Identified> of(JmhResult r) {
        for (String p : PARAMS) {
            Optional<String> value = r.param(p);
            if (value.isPresent()) {
                Optional<Identified> byParam = prefixOf(value.get()).filter(i -> i.variant().isEmpty());
                if (byParam.isPresent()) {
                    return Optional.of(new Identified(byParam.get().subject(), r.method(), p));
                }
            }
        }
        return prefixOf(r.method()).map(i -> new Identified(i.subject(), i.variant(), null));
    }

    private static Optional<Identified> prefixOf(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        Subject best = null;
        String bestWord = "";
        for (Subject s : values()) {
            for (String w : s.words) {
                if (lower.startsWith(w) && w.length() > bestWord.length()) {
                    best = s;
                    bestWord = w;
                }
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String rest = name.substring(bestWord.length());
        // "ortEncode" but not "orthogonal": the subject word must end at a word boundary.
        if (!rest.isEmpty() && !Character.isUpperCase(rest.charAt(0)) && !Character.isDigit(rest.charAt(0))
                && rest.charAt(0) != '_') {
            return Optional.empty();
        }
        return Optional.of(new Identified(best, rest, null));
    }

    /** The subject of a result, what distinguishes it beyond the subject, and the parameter that named it (or null). */
    record Identified(Subject subject, String variant, String param) {

        /** The result's parameters without the one naming the subject: equal for the two sides of a comparison. */
        Map<String, String> sharedParams(JmhResult r) {
            if (param == null) {
                return r.params();
            }
            var copy = new TreeMap<>(r.params());
            copy.remove(param);
            return copy;
        }
    }
}
