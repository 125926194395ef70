package org.bert4j.folder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The task part of a Hugging Face {@code config.json}: which head the checkpoint carries ({@code architectures}),
 * what its outputs are called ({@code id2label}) and how they are meant to be read ({@code problem_type}), with the
 * field names and defaults of transformers' {@code PretrainedConfig}.
 *
 * @param architectures the model classes the checkpoint was saved from, e.g. {@code BertForSequenceClassification};
 *                      empty when the config does not say
 * @param labels        {@code id2label} in index order: label i names output i of the classifier
 * @param problemType   {@code problem_type}: "regression", "single_label_classification",
 *                      "multi_label_classification", or null when the config leaves it out (transformers then
 *                      decides by the number of labels)
 */
public record TaskConfig(List<String> architectures, List<String> labels, String problemType) {

    /** A BERT with the pooler, a dropout and a linear layer on top: one prediction per text (or text pair). */
    public static final String SEQUENCE_CLASSIFICATION = "BertForSequenceClassification";
    /** A BERT with a dropout and a linear layer on every token's last hidden state: one prediction per token. */
    public static final String TOKEN_CLASSIFICATION = "BertForTokenClassification";
    /** The values transformers accepts for {@code problem_type} ({@code PretrainedConfig.__init__} checks them). */
    public static final Set<String> PROBLEM_TYPES =
            Set.of("regression", "single_label_classification", "multi_label_classification");

    /** Copies the lists and checks the values as transformers does. */
    public TaskConfig {
        architectures = List.copyOf(architectures);
        labels = List.copyOf(labels);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("config: id2label must hold at least one label");
        }
        if (problemType != null && !PROBLEM_TYPES.contains(problemType)) {
            throw new IllegalArgumentException("config: problem_type \"" + problemType + "\" is not one of "
                    + PROBLEM_TYPES.stream().sorted().toList());
        }
    }

    /** The number of labels, {@code num_labels}: the classifier's output width. */
    public int numLabels() {
        return labels.size();
    }

    /** Whether {@code architectures} names {@code architecture}. */
    public boolean declares(String architecture) {
        return architectures.contains(architecture);
    }

    /**
     * The task head the checkpoint carries, {@link #SEQUENCE_CLASSIFICATION} or {@link #TOKEN_CLASSIFICATION}, or
     * null when {@code architectures} names neither. Naming both is an error: the classifier's shape cannot say which.
     */
    public String taskArchitecture() {
        boolean sequence = declares(SEQUENCE_CLASSIFICATION);
        boolean token = declares(TOKEN_CLASSIFICATION);
        if (sequence && token) {
            throw new IllegalArgumentException("config: architectures names both " + SEQUENCE_CLASSIFICATION + " and "
                    + TOKEN_CLASSIFICATION + "; the classifier is one or the other");
        }
        return sequence ? SEQUENCE_CLASSIFICATION : token ? TOKEN_CLASSIFICATION : null;
    }

    /** Reads {@code config.json}; a malformed task field is an error naming the file and the field. */
    public static TaskConfig read(Path configJson) throws IOException {
        JsonObject json = Json.readObject(configJson);
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(configJson + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds the task config from a parsed {@code config.json}. As transformers does, {@code id2label} decides the
     * labels when present (its keys are the output indices, written as strings); without it there are
     * {@code num_labels} (default 2) labels named {@code LABEL_0}, {@code LABEL_1}, ...
     */
    public static TaskConfig fromJson(JsonObject json) {
        List<String> architectures = new ArrayList<>();
        JsonElement declared = json.get("architectures");
        if (declared != null && !declared.isJsonNull()) {
            if (!declared.isJsonArray()) {
                throw new IllegalArgumentException("config: architectures must be a list of class names, got " + declared);
            }
            for (JsonElement a : declared.getAsJsonArray()) {
                if (!a.isJsonPrimitive() || !a.getAsJsonPrimitive().isString()) {
                    throw new IllegalArgumentException("config: architectures must be a list of class names, got " + declared);
                }
                architectures.add(a.getAsString());
            }
        }
        JsonElement id2label = json.get("id2label");
        List<String> labels = id2label == null || id2label.isJsonNull()
                ? defaultLabels(numLabels(json)) : labels(id2label);
        JsonElement problem = json.get("problem_type");
        String problemType = null;
        if (problem != null && !problem.isJsonNull()) {
            if (!problem.isJsonPrimitive() || !problem.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException("config: problem_type must be a string, got " + problem);
            }
            problemType = problem.getAsString();
        }
        return new TaskConfig(architectures, labels, problemType);
    }

    /**
     * Writes the labels into {@code config} as transformers writes them ({@code id2label} with string keys,
     * {@code label2id}) plus {@code num_labels}, so the file says its label count in so many words.
     */
    public void writeLabels(JsonObject config) {
        JsonObject id2label = new JsonObject();
        JsonObject label2id = new JsonObject();
        for (int i = 0; i < labels.size(); i++) {
            id2label.addProperty(Integer.toString(i), labels.get(i));
            label2id.addProperty(labels.get(i), i);
        }
        config.add("id2label", id2label);
        config.add("label2id", label2id);
        config.addProperty("num_labels", labels.size());
    }

    private static int numLabels(JsonObject json) {
        JsonElement n = json.get("num_labels");
        if (n == null || n.isJsonNull()) {
            return 2; // PretrainedConfig's default
        }
        if (!n.isJsonPrimitive() || !n.getAsJsonPrimitive().isNumber() || n.getAsDouble() != Math.rint(n.getAsDouble())
                || n.getAsDouble() < 1 || n.getAsDouble() > 1_000_000) {
            throw new IllegalArgumentException("config: num_labels must be a positive integer, got " + n);
        }
        return n.getAsInt();
    }

    private static List<String> defaultLabels(int n) {
        List<String> labels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            labels.add("LABEL_" + i);
        }
        return labels;
    }

    /** id2label's keys must be exactly 0 … n−1: output i without a name, or a name without an output, is a broken file. */
    private static List<String> labels(JsonElement id2label) {
        if (!id2label.isJsonObject()) {
            throw new IllegalArgumentException("config: id2label must be an object {\"0\": \"label\", ...}, got " + id2label);
        }
        Map<String, JsonElement> entries = id2label.getAsJsonObject().asMap();
        String[] byIndex = new String[entries.size()];
        for (Map.Entry<String, JsonElement> e : entries.entrySet()) {
            int index;
            try {
                index = Integer.parseInt(e.getKey().strip());
            } catch (NumberFormatException notANumber) {
                throw new IllegalArgumentException("config: id2label key \"" + e.getKey() + "\" is not an output index");
            }
            if (index < 0 || index >= byIndex.length) {
                throw new IllegalArgumentException("config: id2label has " + byIndex.length + " labels, so its keys must be"
                        + " 0 to " + (byIndex.length - 1) + ", but one is " + index);
            }
            if (byIndex[index] != null) {
                throw new IllegalArgumentException("config: id2label names output " + index + " twice");
            }
            JsonElement value = e.getValue();
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException("config: id2label[\"" + e.getKey() + "\"] must be a string, got " + value);
            }
            byIndex[index] = value.getAsString();
        }
        return Arrays.asList(byIndex);
    }
}
